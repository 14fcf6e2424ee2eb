"""sources.yaml: entries become sources; a bad file says where and what."""

import pytest

from crawler.sources import SourcesError, load_sources


def test_entries_become_sources(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - name: ny\n    family: trs_wcm\n    start_urls: http://a.test/\n"
                    "    region: 湖南省/宁远县\n  - name: lj\n    start_urls: [http://b.test/, http://c.test/]\n",
                    encoding="utf-8")
    ny, lj = load_sources(path)
    assert (ny.name, ny.family, ny.start_urls, ny.region) == ("ny", "trs_wcm", ("http://a.test/",), "湖南省/宁远县")
    assert (lj.family, lj.start_urls) == ("portal", ("http://b.test/", "http://c.test/"))


@pytest.mark.parametrize("text, message", [
    ("sources: [name: x\n", "not valid YAML"),
    ("- a\n- b\n", "expected a mapping"),
    ("sources: {name: x}\n", "must be a list"),
    ("sources:\n  - name: x\n", "entry 0 needs a name and start_urls"),
    ("sources:\n  - {name: x, start_urls: u}\n  - {name: x, start_urls: v}\n", "listed twice"),
])
def test_a_bad_file_is_named_with_its_fault(tmp_path, text, message):
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError, match=message) as caught:
        load_sources(path)
    assert str(path) in str(caught.value)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(SourcesError, match="no such sources file"):
        load_sources(tmp_path / "none.yaml")
