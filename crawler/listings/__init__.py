"""How each CMS family lists its reports: one reader per family, shared by the family's
spider and by discovery (which detects the family of a page it has not seen before)."""

from .base import ListingReader, ReportLink
from .gkmlpt import GkmlptReader
from .hanweb_jcms import JcmsReader
from .hanweb_jpaas import JpaasReader
from .plain import PlainReader
from .rendered import RenderedReader
from .trs_wcm import TrsWcmReader

# Tried in this order by discovery; PlainReader (links and their pager) last: it fits any page.
READERS: dict[str, ListingReader] = {
    reader.name: reader
    for reader in (JcmsReader(), JpaasReader(), GkmlptReader(), TrsWcmReader(), RenderedReader(),
                   PlainReader())
}

__all__ = ["READERS", "ListingReader", "ReportLink"]
