#!/usr/bin/env python3
"""Writes a corpus of real-world-shaped feeds for bench-parsing (default /tmp/parallax-bench-corpus).

Deterministic (seeded), all text generated from word lists written here. 89 feeds, 6.87 MB,
shaped like a real reading list (BENCHMARKS.md, "Parsing › Speed › The whole command", says what is
modelled and why):

- sizes: most files 10-100 KB (log-normal around 30 KB), a few under 10 KB, three of 1 MB or more
  (a podcast with years of episodes, a blog's full-content Atom feed, a news site's 100-item
  full-text feed);
- markup: long article HTML per item (2-50 KB) in `content:encoded` CDATA or escaped in Atom
  `<content type="html">` and RSS `<description>`; paragraphs with inline links, nested lists,
  tables, figures with long `srcset` attributes, embeds with `<script>`, HTML entities both named
  and numeric, typographic UTF-8;
- vocabularies: RSS 2.0 (WordPress, newspaper, broadcaster, Substack, podcast shapes) with
  content, dc, media, itunes, atom, slash, wfw and georss; Atom 1.0 (blog, YouTube media:group);
  RSS 1.0 (RDF) with dc and slash; a few in ISO-8859-1, Japanese and Russian text; one Google-News
  shaped aggregator whose descriptions are lists of related coverage.
"""
import math
import os
import random
import sys
from xml.sax.saxutils import escape, quoteattr

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/parallax-bench-corpus"
os.makedirs(out, exist_ok=True)
for name in os.listdir(out):
    if name.endswith(".xml"):
        os.remove(os.path.join(out, name))
rng = random.Random(20261203)

WORDS = ("council harbor bridge budget vote storm schools minister election court ruling market shares "
         "energy prices union strike hospital funding climate summit talks ceasefire border police report "
         "inquiry museum reopens festival team wins league transfer scientists discover vaccine trial city "
         "mayor housing plan rent protest rail line delay airport expansion the a of to in and for on with "
         "after over says could would new first year week government officials residents analysis data "
         "research growth inflation interest rates central bank quarter earnings software release update "
         "security patch developers platform network users privacy regulators lawmakers committee hearing "
         "episode interview guest season draft coach stadium fans weather forecast flooding wildfire").split()
# Words with the characters real English copy carries: curly quotes, dashes, accents.
FANCY = ["don\u2019t", "it\u2019s", "\u201cwe\u201d", "caf\u00e9", "na\u00efve", "r\u00e9sum\u00e9", "\u2014", "\u2013",
         "S\u00e3o Paulo", "Z\u00fcrich", "\u20ac40m", "\u00a3120", "50\u00b0C", "\u2026"]
# HTML references as CMSs write them inside article HTML.
ENTITIES = ["&rsquo;", "&lsquo;", "&ldquo;", "&rdquo;", "&mdash;", "&ndash;", "&nbsp;", "&amp;", "&hellip;",
            "&#8217;", "&#8220;", "&#8221;", "&#8212;", "&#038;", "&#x2019;", "&eacute;", "&quot;"]
JAPANESE = list("\u653f\u5e9c\u9996\u76f8\u9078\u6319\u7d4c\u6e08\u5e02\u5834\u682a\u4fa1\u4f1a\u8b70\u767a\u8868"
                "\u6771\u4eac\u5927\u962a\u5730\u9707\u53f0\u98a8\u8b66\u5bdf\u88c1\u5224\u306e\u306b\u306f\u3092"
                "\u304c\u3068\u3067\u3057\u305f\u3059\u308b\u3042\u308b\u3044\u308b\u3053\u3068\u30cb\u30e5\u30fc\u30b9")
RUSSIAN = ("\u043f\u0440\u0430\u0432\u0438\u0442\u0435\u043b\u044c\u0441\u0442\u0432\u043e \u0432\u044b\u0431\u043e\u0440\u044b "
           "\u0441\u0443\u0434 \u0433\u043e\u0440\u043e\u0434 \u0431\u044e\u0434\u0436\u0435\u0442 \u0440\u044b\u043d\u043e\u043a "
           "\u043c\u0438\u043d\u0438\u0441\u0442\u0440 \u0437\u0430\u044f\u0432\u0438\u043b \u0432 \u0438 \u043d\u0430 "
           "\u043f\u043e \u043e\u0442\u0447\u0451\u0442 \u0448\u043a\u043e\u043b\u044b \u0446\u0435\u043d\u044b").split()
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LANGUAGE = "en"


def words(count):
    if LANGUAGE == "ja":
        return "".join(rng.choice(JAPANESE) for _ in range(count * 2))
    pool = RUSSIAN if LANGUAGE == "ru" else WORDS
    chosen = [rng.choice(FANCY) if LANGUAGE == "en" and rng.random() < 0.03 else rng.choice(pool) for _ in range(count)]
    return " ".join(chosen)


def sentence(low=8, high=22):
    text = words(rng.randint(low, high))
    return ("\u3002" if LANGUAGE == "ja" else ".").join([text[:1].upper() + text[1:], ""])


def inline_html(low=8, high=22):
    """A sentence with the inline markup and references article HTML is full of."""
    parts = words(rng.randint(low, high)).split(" ")
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(parts))
        roll = rng.random()
        if roll < 0.35:
            parts[at] = '<a href="https://%s.example/%s/%d?utm_source=feed&amp;utm_medium=rss">%s</a>' % (
                rng.choice(WORDS), rng.choice(WORDS), rng.randint(1, 99999), parts[at])
        elif roll < 0.55:
            parts[at] = "<strong>%s</strong>" % parts[at]
        elif roll < 0.75:
            parts[at] = "<em>%s</em>" % parts[at]
        else:
            parts[at] = parts[at] + rng.choice(ENTITIES)
    if rng.random() < 0.5:
        parts.insert(rng.randrange(len(parts)), rng.choice(ENTITIES))
    text = " ".join(parts)
    return text[:1].upper() + text[1:] + "."


def paragraph():
    return "<p>%s</p>" % " ".join(inline_html() for _ in range(rng.randint(2, 6)))


def nested_list():
    tag = rng.choice(["ul", "ol"])
    items = []
    for _ in range(rng.randint(3, 7)):
        inner = ""
        if rng.random() < 0.3:
            inner = "<ul>%s</ul>" % "".join("<li>%s</li>" % inline_html(3, 9) for _ in range(rng.randint(2, 4)))
        items.append("<li>%s%s</li>" % (inline_html(4, 14), inner))
    return "<%s>%s</%s>" % (tag, "".join(items), tag)


def table():
    columns = rng.randint(3, 6)
    head = "".join("<th scope=\"col\">%s</th>" % words(1).title() for _ in range(columns))
    rows = "".join("<tr>%s</tr>" % "".join("<td style=\"text-align:right\">%s</td>" % (
        rng.choice([words(2), "%d.%d%%" % (rng.randint(0, 99), rng.randint(0, 9)), "&minus;%d" % rng.randint(1, 900)]))
        for _ in range(columns)) for _ in range(rng.randint(4, 14)))
    return '<table class="wp-block-table"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>' % (head, rows)


def figure(host):
    name = "%d/%02d/%s" % (rng.randint(2019, 2026), rng.randint(1, 12), "-".join(words(3).split(" ")))
    srcset = ", ".join("https://cdn.%s/wp-content/uploads/%s-%dx%d.jpg %dw" % (host, name, w, w * 2 // 3, w)
                       for w in (300, 768, 1024, 1536, 2048))
    return ('<figure class="wp-block-image size-large"><img decoding="async" loading="lazy" width="1024" height="683" '
            'src="https://cdn.%s/wp-content/uploads/%s-1024x683.jpg" alt="%s" srcset="%s" '
            'sizes="(max-width: 1024px) 100vw, 1024px" /><figcaption>%s</figcaption></figure>') % (
        host, name, escape(words(6)), srcset, inline_html(6, 14))


def embed():
    return ('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">%s</p>&mdash; %s (@%s) '
            '<a href="https://twitter.example/status/%d">%s</a></blockquote>'
            '<script async src="https://platform.twitter.example/widgets.js" charset="utf-8"></script>') % (
        inline_html(8, 20), words(2).title(), rng.choice(WORDS), rng.randint(10**17, 10**18), words(3))


def article_html(target, host):
    """Article HTML of about `target` bytes: mostly paragraphs, with the block markup CMSs write."""
    blocks, size = [], 0
    while size < target:
        roll = rng.random()
        if roll < 0.62:
            block = paragraph()
        elif roll < 0.70:
            block = "<h%d>%s</h%d>" % (rng.choice([2, 3]), words(rng.randint(3, 8)).title(), rng.choice([2, 3]))
        elif roll < 0.79:
            block = nested_list()
        elif roll < 0.84:
            block = table()
        elif roll < 0.92:
            block = figure(host)
        elif roll < 0.96:
            block = "<blockquote><p>%s</p></blockquote>" % inline_html(10, 30)
        else:
            block = embed()
        blocks.append(block)
        size += len(block.encode("utf-8"))
    return "\n".join(blocks)


def room(lines, target, item_size):
    """True while another item of about `item_size` bytes of HTML fits (always for the first one)."""
    return sum(len(x) for x in lines) + item_size // 2 < target or not any("<item" in x or "<entry" in x for x in lines)


def cdata(html):
    return "<![CDATA[%s]]>" % html.replace("]]>", "]]]]><![CDATA[>")


def rfc822(i, zone=None):
    return "%s, %02d %s 2026 %02d:%02d:%02d %s" % (DAYS[i % 7], 1 + i % 28, MONTHS[(11 - i // 28) % 12], i % 24,
                                                 i * 7 % 60, i * 13 % 60, zone or rng.choice(["GMT", "+0000", "-0500", "EST", "+0100"]))


def iso(i):
    return "2026-%02d-%02dT%02d:%02d:%02d%s" % (12 - (i // 28) % 12, 1 + i % 28, i % 24, i * 7 % 60, i * 13 % 60,
                                             rng.choice(["Z", "+01:00", "-05:00", "+09:00"]))


def slug():
    return "-".join(words(rng.randint(4, 8)).split(" ")).replace("\u2019", "").lower()


def rss_head(host, extra_namespaces, title, language="en-us"):
    if ("sy", NS["sy"]) not in extra_namespaces:
        extra_namespaces = extra_namespaces + [("sy", NS["sy"])]
    return ['<?xml version="1.0" encoding="UTF-8"?>',
            '<rss version="2.0" %s>' % " ".join('xmlns:%s="%s"' % pair for pair in extra_namespaces),
            "<channel>", "\t<title>%s</title>" % escape(title),
            '\t<atom:link href="https://%s/feed/" rel="self" type="application/rss+xml" />' % host,
            "\t<link>https://%s</link>" % host, "\t<description>%s</description>" % escape(sentence(6, 12)),
            "\t<lastBuildDate>%s</lastBuildDate>" % rfc822(0, "+0000"), "\t<language>%s</language>" % language,
            "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>", "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>",
            "\t<generator>https://wordpress.example/?v=6.4.2</generator>"]


NS = {"content": "http://purl.org/rss/1.0/modules/content/", "wfw": "http://wellformedweb.org/CommentAPI/",
      "dc": "http://purl.org/dc/elements/1.1/", "atom": "http://www.w3.org/2005/Atom",
      "sy": "http://purl.org/rss/1.0/modules/syndication/", "slash": "http://purl.org/rss/1.0/modules/slash/",
      "media": "http://search.yahoo.com/mrss/", "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
      "georss": "http://www.georss.org/georss", "podcast": "https://podcastindex.org/namespace/1.0"}


def namespaces(*names):
    return [(name, NS[name]) for name in names]


def wordpress(n, host, target, item_size):
    """WordPress: full article in content:encoded CDATA, excerpt in description CDATA."""
    lines = rss_head(host, namespaces("content", "wfw", "dc", "atom", "sy", "slash", "media"), "%s \u2013 News" % host)
    i = 0
    while room(lines, target, item_size):
        link = "https://%s/%s/" % (host, slug())
        body = article_html(rng.randint(item_size // 2, item_size * 3 // 2), host)
        excerpt = "%s [&#8230;]</p>\n<p>The post <a href=\"%s\">%s</a> appeared first on <a href=\"https://%s\">%s</a>.</p>" % (
            inline_html(20, 40), link, escape(words(6)), host, host)
        lines += ["\t\t<item>", "\t\t<title>%s</title>" % escape(sentence(6, 14)), "\t\t<link>%s</link>" % link,
                  "\t\t\t\t\t<comments>%s#respond</comments>" % link,
                  "\t\t<dc:creator><![CDATA[%s]]></dc:creator>" % words(2).title(),
                  "\t\t<pubDate>%s</pubDate>" % rfc822(i, "+0000")]
        lines += ["\t\t<category><![CDATA[%s]]></category>" % words(rng.randint(1, 2)).title() for _ in range(rng.randint(1, 6))]
        lines += ['\t\t<guid isPermaLink="false">https://%s/?p=%d</guid>' % (host, 100000 + n * 1000 + i),
                  "\t\t\t\t\t<description><![CDATA[<p>%s]]></description>" % excerpt,
                  "\t\t\t\t\t\t\t\t\t\t<content:encoded>%s</content:encoded>" % cdata(body),
                  "\t\t\t\t\t<wfw:commentRss>%sfeed/</wfw:commentRss>" % link,
                  "\t\t\t<slash:comments>%d</slash:comments>" % rng.randint(0, 40),
                  '\t\t<media:content url="https://cdn.%s/img/%d.jpg" medium="image"><media:title type="html">%s</media:title></media:content>' % (
                      host, i, escape(words(5))),
                  "\t\t</item>"]
        i += 1
    return lines + ["\t</channel>", "</rss>"]


def newspaper(n, host, target, item_size):
    """A newspaper's section feed: short escaped descriptions, Media RSS with credits, many categories."""
    lines = rss_head(host, namespaces("dc", "atom", "media", "sy"), "%s > World" % host)
    lines.append("\t<image><title>%s</title><url>https://static.%s/logo.png</url><link>https://%s</link></image>" % (host, host, host))
    i = 0
    while room(lines, target, item_size):
        link = "https://www.%s/2026/12/%02d/world/%s.html" % (host, 1 + i % 28, slug())
        lines += ["    <item>", "      <title>%s</title>" % escape(sentence(6, 14)), "      <link>%s</link>" % link,
                  '      <guid isPermaLink="true">%s</guid>' % link,
                  '      <atom:link href="%s" rel="standout"/>' % link,
                  "      <description>%s</description>" % escape(inline_html(15, 40) if item_size > 2000 else sentence(15, 35)),
                  "      <dc:creator>%s and %s</dc:creator>" % (words(2).title(), words(2).title()),
                  "      <pubDate>%s</pubDate>" % rfc822(i, "+0000")]
        lines += ['      <category domain="http://www.%s/keywords/%s">%s</category>' % (host, rng.choice(WORDS), escape(words(rng.randint(1, 4)).title()))
                  for _ in range(rng.randint(2, 9))]
        lines += ['      <media:content height="1365" medium="image" url="https://static.%s/images/2026/12/%d/multimedia/%s-superJumbo.jpg" width="2048"/>' % (host, i, slug()),
                  "      <media:credit>%s for %s</media:credit>" % (words(2).title(), host),
                  "      <media:description>%s</media:description>" % escape(sentence(10, 30)), "    </item>"]
        i += 1
    return lines + ["  </channel>", "</rss>"]


def broadcaster(n, host, target, item_size):
    """A broadcaster's headlines feed: small items, media:thumbnail, CDATA text."""
    lines = rss_head(host, namespaces("dc", "content", "atom", "media"), "%s News - Home" % host, "en-gb")
    i = 0
    while room(lines, target, item_size):
        link = "https://www.%s/news/articles/c%07dxo" % (host, rng.randint(0, 10**7))
        lines += ["        <item>", "            <title><![CDATA[%s]]></title>" % sentence(5, 12),
                  "            <description><![CDATA[%s]]></description>" % sentence(12, 30),
                  "            <link>%s?at_medium=RSS&amp;at_campaign=rss</link>" % link,
                  '            <guid isPermaLink="false">%s#%d</guid>' % (link, i),
                  "            <pubDate>%s</pubDate>" % rfc822(i, "GMT"),
                  '            <media:thumbnail width="240" height="135" url="https://ichef.%s/ace/standard/240/cpsprodpb/%x/live/%08x.jpg"/>' % (
                      host, rng.randint(0, 2**16), rng.randint(0, 2**32)), "        </item>"]
        i += 1
    return lines + ["    </channel>", "</rss>"]


def substack(n, host, target, item_size):
    """A newsletter: whole posts in content:encoded, escaped HTML teaser in description, enclosure image."""
    lines = rss_head(host, namespaces("dc", "content", "atom"), "%s's Newsletter" % words(2).title())
    i = 0
    while room(lines, target, item_size):
        link = "https://%s/p/%s" % (host, slug())
        lines += ["<item>", "<title><![CDATA[%s]]></title>" % sentence(5, 12),
                  "<description>%s</description>" % escape("<p>%s</p>" % inline_html(10, 25)),
                  "<link>%s</link>" % link, '<guid isPermaLink="false">%s</guid>' % link,
                  "<dc:creator><![CDATA[%s]]></dc:creator>" % words(2).title(), "<pubDate>%s</pubDate>" % rfc822(i, "GMT"),
                  '<enclosure url="https://substackcdn.example/image/fetch/%s.jpeg" length="0" type="image/jpeg"/>' % slug(),
                  "<content:encoded>%s</content:encoded>" % cdata(article_html(rng.randint(item_size // 2, item_size * 3 // 2), host)),
                  "</item>"]
        i += 1
    return lines + ["</channel>", "</rss>"]


def podcast(n, host, target, item_size):
    """A podcast: iTunes and podcast namespaces, enclosures, show notes (paragraphs, then a list of links)."""
    lines = rss_head(host, namespaces("itunes", "content", "atom", "podcast"), "The %s Show" % words(1).title())
    lines += ["\t<itunes:author>%s</itunes:author>" % words(2).title(), "\t<itunes:summary>%s</itunes:summary>" % escape(sentence(20, 50)),
              '\t<itunes:image href="https://%s/artwork-3000.jpg"/>' % host, "\t<itunes:explicit>false</itunes:explicit>",
              '\t<itunes:category text="News"><itunes:category text="Tech News"/></itunes:category>',
              "\t<itunes:owner><itunes:name>%s</itunes:name><itunes:email>show@%s</itunes:email></itunes:owner>" % (words(2).title(), host)]
    i = 0
    while room(lines, target, item_size):
        notes = "<p>%s</p>%s<p>Links:</p><ul>%s</ul>" % (
            inline_html(20, 50), paragraph(),
            "".join('<li><a href="https://%s.example/%s">%s</a></li>' % (rng.choice(WORDS), slug(), escape(words(5)))
                    for _ in range(rng.randint(5, max(6, item_size // 300)))))
        guid = "%08x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48))
        lines += ["\t<item>", "\t\t<title>%d: %s</title>" % (900 - i, escape(sentence(4, 10))),
                  '\t\t<guid isPermaLink="false">%s</guid>' % guid, "\t\t<pubDate>%s</pubDate>" % rfc822(i, "+0000"),
                  "\t\t<link>https://%s/episodes/%d</link>" % (host, 900 - i),
                  '\t\t<enclosure url="https://traffic.%s/track/%s.mp3?dest-id=%d" length="%d" type="audio/mpeg"/>' % (
                      host, guid, n, rng.randint(10**7, 10**8)),
                  "\t\t<description>%s</description>" % cdata(notes),
                  "\t\t<content:encoded>%s</content:encoded>" % cdata(notes),
                  "\t\t<itunes:title>%s</itunes:title>" % escape(sentence(4, 10)),
                  "\t\t<itunes:summary>%s</itunes:summary>" % escape(" ".join(sentence() for _ in range(3))),
                  "\t\t<itunes:duration>%02d:%02d:%02d</itunes:duration>" % (rng.randint(0, 2), rng.randint(0, 59), rng.randint(0, 59)),
                  "\t\t<itunes:episode>%d</itunes:episode>" % (900 - i), "\t\t<itunes:episodeType>full</itunes:episodeType>",
                  "\t\t<itunes:explicit>false</itunes:explicit>",
                  '\t\t<podcast:transcript url="https://%s/transcripts/%d.vtt" type="text/vtt"/>' % (host, 900 - i), "\t</item>"]
        i += 1
    return lines + ["</channel>", "</rss>"]


def atom_blog(n, host, target, item_size):
    """A blog's Atom feed (Blogger, Ghost, Hugo): whole posts as escaped HTML, so entity-heavy for XML."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
             "  <title>%s</title>" % escape(words(3).title()), '  <link href="https://%s/" rel="alternate"/>' % host,
             '  <link href="https://%s/feed.xml" rel="self"/>' % host, "  <id>tag:%s,2026:feed</id>" % host,
             "  <updated>%s</updated>" % iso(0), '  <generator uri="https://gohugo.example/">Hugo</generator>']
    i = 0
    while room(lines, target, item_size):
        lines += ["  <entry>", '    <title type="html">%s</title>' % escape(escape(sentence(5, 12))),
                  '    <link href="/posts/%s/" rel="alternate" type="text/html" title="%s"/>' % (slug(), escape(words(4))),
                  "    <id>tag:%s,2026:post-%d</id>" % (host, i), "    <published>%s</published>" % iso(i),
                  "    <updated>%s</updated>" % iso(i), "    <author><name>%s</name><uri>https://%s/about</uri></author>" % (words(2).title(), host)]
        lines += ['    <category term="%s" label="%s"/>' % (rng.choice(WORDS), words(2).title()) for _ in range(rng.randint(0, 4))]
        lines += ['    <summary type="html">%s</summary>' % escape("<p>%s</p>" % inline_html(15, 40)),
                  '    <content type="html" xml:base="https://%s/posts/">%s</content>' % (
                      host, escape(article_html(rng.randint(item_size // 2, item_size * 3 // 2), host))), "  </entry>"]
        i += 1
    return lines + ["</feed>"]


def youtube(n, host, target, item_size):
    """A video channel's Atom feed: media:group with title, content, thumbnail, description, community."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">',
             ' <link rel="self" href="https://www.%s/feeds/videos.xml?channel_id=UC%d"/>' % (host, n),
             " <id>yt:channel:%d</id>" % n, " <yt:channelId>%d</yt:channelId>" % n, " <title>%s</title>" % escape(words(3).title()),
             ' <link rel="alternate" href="https://www.%s/channel/UC%d"/>' % (host, n),
             " <author>\n  <name>%s</name>\n  <uri>https://www.%s/channel/UC%d</uri>\n </author>" % (words(2).title(), host, n),
             " <published>%s</published>" % iso(99)]
    i = 0
    while room(lines, target, item_size):
        video = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") for _ in range(11))
        lines += [" <entry>", "  <id>yt:video:%s</id>" % video, "  <yt:videoId>%s</yt:videoId>" % video,
                  "  <title>%s</title>" % escape(sentence(4, 12)),
                  '  <link rel="alternate" href="https://www.%s/watch?v=%s"/>' % (host, video),
                  "  <author>\n   <name>%s</name>\n  </author>" % words(2).title(),
                  "  <published>%s</published>" % iso(i), "  <updated>%s</updated>" % iso(i), "  <media:group>",
                  "   <media:title>%s</media:title>" % escape(sentence(4, 12)),
                  '   <media:content url="https://www.%s/v/%s?version=3" type="application/x-shockwave-flash" width="640" height="390"/>' % (host, video),
                  '   <media:thumbnail url="https://i1.%s/vi/%s/hqdefault.jpg" width="480" height="360"/>' % (host, video),
                  "   <media:description>%s</media:description>" % escape("\n".join(sentence() for _ in range(rng.randint(2, max(3, item_size // 150))))),
                  '   <media:community>\n    <media:starRating count="%d" average="5.00" min="1" max="5"/>\n    <media:statistics views="%d"/>\n   </media:community>' % (
                      rng.randint(0, 9999), rng.randint(0, 10**6)), "  </media:group>", " </entry>"]
        i += 1
    return lines + ["</feed>"]


def rdf(n, host, target, item_size):
    """RSS 1.0 (Slashdot and many European sites): rdf:Seq of items, dc and slash, often ISO-8859-1."""
    items = []
    i = 0
    body = []
    while room(body, target, item_size):
        link = "https://%s/story/26/12/%02d/%d/%s" % (host, 1 + i % 28, rng.randint(10**5, 10**6), slug())
        items.append(link)
        body += ['<item rdf:about="%s">' % link, "<title>%s</title>" % escape(sentence(5, 12)), "<link>%s</link>" % link,
                 "<description>%s</description>" % escape(" ".join(inline_html(10, 25) for _ in range(rng.randint(2, max(3, item_size // 250))))),
                 "<dc:creator>%s</dc:creator>" % words(1), "<dc:subject>%s</dc:subject>" % words(1), "<dc:date>%s</dc:date>" % iso(i),
                 "<slash:section>%s</slash:section>" % words(1), "<slash:comments>%d</slash:comments>" % rng.randint(0, 900), "</item>"]
        i += 1
    head = ['<?xml version="1.0" encoding="%s"?>' % ("ISO-8859-1" if n % 2 else "UTF-8"),
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" '
            'xmlns:syn="http://purl.org/rss/1.0/modules/syndication/">',
            '<channel rdf:about="https://%s/">' % host, "<title>%s</title>" % host, "<link>https://%s/</link>" % host,
            "<description>%s</description>" % escape(sentence()), "<dc:language>en-us</dc:language>",
            "<items>\n <rdf:Seq>\n%s\n </rdf:Seq>\n</items>" % "\n".join('  <rdf:li rdf:resource="%s" />' % link for link in items),
            "</channel>"]
    return head + body + ["</rdf:RDF>"]


def aggregator(n, host, target, item_size):
    """Google-News-shaped: each description an escaped list of related coverage, <source url>."""
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><generator>NFE/5.0</generator>'
             "<title>Top stories - %s</title><link>https://%s/?hl=en-US</link><language>en-US</language>"
             "<lastBuildDate>%s</lastBuildDate><description>%s</description>" % (host, host, rfc822(0, "GMT"), host)]
    i = 0
    while room(lines, target, item_size):
        members = []
        for _ in range(rng.randint(1, 5)):
            outlet = "%s %s" % (words(1).title(), rng.choice(["Times", "Post", "News", "Herald", "Tribune"]))
            members.append('<li><a href="https://%s/rss/articles/CBMi%s?oc=5" target="_blank">%s</a>&nbsp;&nbsp;<font color="#6f6f6f">%s</font></li>' % (
                host, "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(60)),
                escape(sentence(6, 12)), outlet))
        lines.append("<item><title>%s - %s</title><link>https://%s/rss/articles/CBMi%d?oc=5</link>"
                     '<guid isPermaLink="false">CBMi%d</guid><pubDate>%s</pubDate><description>%s</description>'
                     '<source url="https://www.%s.example">%s</source></item>' % (
                         escape(sentence(6, 12)), outlet, host, i, i, rfc822(i, "GMT"),
                         escape("<ol>%s</ol>" % "".join(members)), rng.choice(WORDS), outlet))
        i += 1
    return lines + ["</channel></rss>"]


# The reading list: (shape, count, median size in KB, typical item HTML in bytes). Sizes are drawn
# log-normally around the median and clipped to 4-100 KB; the three big feeds follow.
SHAPES = [(wordpress, 26, 32, 6000), (newspaper, 14, 25, 400), (broadcaster, 12, 15, 0), (substack, 6, 45, 12000),
          (podcast, 6, 45, 1500), (atom_blog, 10, 35, 7000), (youtube, 5, 18, 600), (rdf, 6, 16, 800), (aggregator, 1, 35, 0)]
BIG = [(podcast, 1400, 2000), (atom_blog, 1100, 40000), (wordpress, 1000, 9000)]
feeds = []
for shape, count, median, item_size in SHAPES:
    for _ in range(count):
        size = min(100, max(4, median * math.exp(rng.gauss(0, 0.6))))
        feeds.append((shape, int(size * 1024), item_size))
feeds += [(shape, kb * 1024, item_size) for shape, kb, item_size in BIG]
rng.shuffle(feeds)
assert len(feeds) == 89, len(feeds)

for n, (shape, target, item_size) in enumerate(feeds):
    host = "outlet%02d.example" % n
    LANGUAGE = "ja" if n % 23 == 5 else "ru" if n % 29 == 7 else "en"
    text = "\n".join(shape(n, host, target, item_size)) + "\n"
    encoding = "iso-8859-1" if "ISO-8859-1" in text[:60] else "utf-8"
    with open(os.path.join(out, "feed%02d-%s.xml" % (n, shape.__name__)), "w", encoding=encoding, errors="xmlcharrefreplace") as handle:
        handle.write(text)
print(out)
