#!/usr/bin/env bash
# The Debian packages the demo and the tests use: Chromium's headless shell (listings that exist
# only after JavaScript runs), Chromium (the tests look at `xxgk serve`'s pages with it),
# LibreOffice (DOC, WPS and XLS reports), Tesseract's Chinese and English models (scanned
# reports: labels read with the first, figures digits-only with the second; tesserocr from PyPI
# brings the engine) and a CJK font (the scanned test fixtures are rendered from PDFs whose
# Chinese font is not embedded). What is missing is installed when
# this machine lets us (root, or sudo without a password); otherwise one line says what to
# install, and the parts that need it are skipped (the tests say so).
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)  # the tests' browser (xxgk serve's pages)
[ -x "${XXGK_CHROMIUM:-/usr/bin/chromium-headless-shell}" ] || need+=(chromium-headless-shell)  # the crawl's
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-chi-sim)
ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-eng)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-zenhei)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "xxgk: missing Debian packages: ${need[*]} (as root: apt-get install ${need[*]}); what needs them is skipped" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "xxgk: missing packages ${need[*]} and no apt-get here: install Chromium, LibreOffice, Tesseract's chi_sim model and a CJK font by hand" >&2
  exit 0
fi
echo "xxgk: installing ${need[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null \
  && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "xxgk: could not install ${need[*]}; what needs them is skipped" >&2
exit 0
