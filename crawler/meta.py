"""The request ``meta`` keys xxgk's spiders, listing readers and middlewares pass along: each
declared here once, with what it holds. Code uses the names (``meta.KIND``), never the strings."""

# What the request fetches: listing | page | attachment (spiders, middlewares, the store).
KIND = "xxgk_kind"
# The start URL a request descends from (its source's entry point).
START = "xxgk_start"
# The source's context carried to a request made outside the source's own spider (recrawls).
CONTEXT = "xxgk_context"
# Discovery (the portal spider): the portal's root page, and the column a listing belongs to.
ROOT = "xxgk_root"
COLUMN = "xxgk_column"
# Listing readers: which reader a response goes back to, and the step it is at (e.g. "api").
READER = "xxgk_reader"
STAGE = "xxgk_stage"
# Listing readers' paging state: page number, and the family's own fields (gkmlpt category and
# site id, jpaas query, page size).
PAGE = "xxgk_page"
CAT = "xxgk_cat"
SID = "xxgk_sid"
QUERY = "xxgk_query"
SIZE = "xxgk_size"
# Incremental fetching: conditional headers sent; a request that must be fetched in full anyway
# (recrawl); a 304 answered from the stored bytes.
CONDITIONAL = "xxgk_conditional"
FORCE = "xxgk_force"
FROM_STORE = "xxgk_from_store"
# The encoding the charset middleware decided, as (codec, why), for extraction to reuse.
ENCODING = "xxgk_encoding"
# Anti-bot challenges (crawler/middlewares/challenge.py): the host's passes when the request was
# sent (which cookies it went with), and the page method waiting a challenge out in the browser.
CHALLENGE_PASSES = "xxgk_challenge_passes"
CHALLENGE_WAIT = "xxgk_challenge_wait"
