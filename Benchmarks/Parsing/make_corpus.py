#!/usr/bin/env python3
"""Writes a corpus of real-world-shaped news feeds for bench-parsing (default /tmp/parallax-bench-corpus).

Deterministic (seeded): 89 feeds, about 3 MB, in the mix news sites serve: RSS 2.0 with
content:encoded HTML in CDATA, dc:creator, categories, media:content and enclosures; Atom 1.0
with escaped HTML content; RSS 1.0 (RDF) with dc:date; a few in ISO-8859-1. All text is generated.
"""
import os
import random
import sys
from xml.sax.saxutils import escape

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/parallax-bench-corpus"
os.makedirs(out, exist_ok=True)
rng = random.Random(20261122)
WORDS = ("council harbor bridge budget vote storm schools minister election court ruling market shares "
         "energy prices union strike hospital funding climate summit talks ceasefire border police report "
         "inquiry museum reopens festival team wins league transfer scientists discover vaccine trial city "
         "mayor housing plan rent protest rail line delay airport expansion").split()
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def sentence(low, high):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph_html(count):
    parts = []
    for _ in range(count):
        text = " ".join(sentence(8, 20) for _ in range(rng.randint(2, 5)))
        if rng.random() < 0.4:
            text += ' <a href="https://example.org/%d">%s</a>' % (rng.randint(1, 99999), rng.choice(WORDS))
        parts.append("<p>%s &amp; <em>%s</em></p>" % (text, rng.choice(WORDS)))
    return "\n".join(parts)


def rfc822(i):
    return "%s, %02d Nov 2026 %02d:%02d:%02d %s" % (DAYS[i % 7], 1 + i % 28, i % 24, i * 7 % 60, i * 13 % 60,
                                                    rng.choice(["GMT", "+0000", "-0500", "EST", "+0100"]))


def rss20(n, host, items):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
             'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" '
             'xmlns:atom="http://www.w3.org/2005/Atom">', "<channel>",
             "  <title>%s News</title>" % host, "  <link>https://%s/</link>" % host,
             '  <atom:link rel="self" href="https://%s/feed" type="application/rss+xml"/>' % host,
             "  <description>Latest from %s</description>" % host, "  <language>en-us</language>"]
    for i in range(items):
        slug = "-".join(rng.choice(WORDS) for _ in range(5))
        lines += ["  <item>", "    <title>%s</title>" % escape(sentence(6, 12)),
                  "    <link>https://%s/2026/11/%s?utm_source=rss</link>" % (host, slug),
                  '    <guid isPermaLink="false">%s-%d-%d</guid>' % (host, n, i),
                  "    <pubDate>%s</pubDate>" % rfc822(i), "    <dc:creator>%s</dc:creator>" % sentence(2, 3),
                  "    <category>%s</category>" % rng.choice(WORDS), "    <category>%s</category>" % rng.choice(WORDS),
                  "    <description>%s</description>" % escape(paragraph_html(1)),
                  "    <content:encoded><![CDATA[%s]]></content:encoded>" % paragraph_html(rng.randint(1, 5)),
                  '    <media:content url="https://cdn.%s/img/%d.jpg" medium="image" width="1200" height="800"/>' % (host, i),
                  "  </item>"]
    lines += ["</channel>", "</rss>"]
    return "\n".join(lines)


def atom(n, host, items):
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
             "  <title>%s</title>" % host, '  <link href="https://%s/"/>' % host,
             "  <id>tag:%s,2026:feed</id>" % host, "  <updated>2026-11-21T12:00:00Z</updated>"]
    for i in range(items):
        lines += ["  <entry>", '    <title type="html">%s</title>' % escape(escape(sentence(6, 12))),
                  '    <link rel="alternate" type="text/html" href="/posts/%d-%d"/>' % (n, i),
                  "    <id>tag:%s,2026:%d</id>" % (host, i),
                  "    <published>2026-11-%02dT%02d:%02d:00+01:00</published>" % (1 + i % 28, i % 24, i % 60),
                  "    <updated>2026-11-%02dT%02d:%02d:30Z</updated>" % (1 + i % 28, i % 24, i % 60),
                  "    <author><name>%s</name></author>" % sentence(2, 3),
                  '    <category term="%s"/>' % rng.choice(WORDS),
                  "    <summary>%s</summary>" % escape(sentence(15, 30)),
                  '    <content type="html">%s</content>' % escape(paragraph_html(rng.randint(1, 4))),
                  "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines)


def rdf(n, host, items):
    lines = ['<?xml version="1.0" encoding="ISO-8859-1"?>',
             '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
             'xmlns:dc="http://purl.org/dc/elements/1.1/">',
             '<channel rdf:about="https://%s/"><title>%s Nachrichten</title><link>https://%s/</link>'
             "<description>caf\xe9</description></channel>" % (host, host, host)]
    for i in range(items):
        lines += ['<item rdf:about="https://%s/a/%d">' % (host, i), "<title>%s \xfcber</title>" % escape(sentence(5, 10)),
                  "<link>https://%s/a/%d</link>" % (host, i),
                  "<description>%s</description>" % escape(sentence(20, 40)),
                  "<dc:date>2026-11-%02dT%02d:00:00+01:00</dc:date>" % (1 + i % 28, i % 24), "</item>"]
    lines.append("</rdf:RDF>")
    return "\n".join(lines)


for n in range(89):
    host = "outlet%02d.example" % n
    items = rng.choice([10, 15, 20, 25, 30, 40])
    kind = n % 10
    if kind < 6:
        text, encoding = rss20(n, host, items), "utf-8"
    elif kind < 9:
        text, encoding = atom(n, host, items), "utf-8"
    else:
        text, encoding = rdf(n, host, items), "iso-8859-1"
    with open(os.path.join(out, "feed%02d.xml" % n), "w", encoding=encoding) as handle:
        handle.write(text)
print(out)
