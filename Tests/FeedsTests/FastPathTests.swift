import Foundation
import Testing
@testable import Feeds

/// The feed parser's byte-level fast paths must give exactly what the general code gives: each
/// test runs both on the same nasty inputs.
@Suite("Fast paths agree with the general code")
struct FastPathTests {
    static let texts: [String] = [
        "", " ", "\u{A0}", "plain words", "  two  spaces  and\ttabs\n", "a\u{0B}b\u{0B}", "\u{0B} x \u{0B}",
        "\u{A0}\u{2003}lead and trail\u{3000}\u{A0}", "\u{2028}x\u{2029}", "\u{85}next line\u{85}", " \u{301}combining ",
        "<p>Para one.</p><p>Para two &amp; more</p>", "a &lt;b&gt; c &quot;q&quot; &apos;s&apos; &amp;amp;",
        "&amp", "&amp ;", "x &#150; y &#x93;quoted&#x94; &#133; z", "caf\u{E9} \u{96}dash\u{97} \u{85}",
        "<BLOCKQUOTE>q</BLOCKQUOTE>tail<br/>x<BR>y", "<script>var a = '<p>';</script>after <style>p{}</style>done",
        "<blockquotex>not a block</blockquotex>z", "a<b>b</b>c <i>i</i>  <u>u</u>", "1 < 2 and 3 > 2",
        "twelve chars twelve chars  twelve chars   twelve chars    ", "abcdefgh abcdefgh  abcdefgh\u{A0}abcdefgh",
        "word\u{00A0}\u{00A0}word", "&nbsp;&nbsp;x&nbsp;", "emoji \u{1F600} and \u{E9}t\u{E9}", "\u{C2}\u{80}",
        "<p>\n  pretty\n  printed\n</p>\n", "x\u{1680}y\u{202F}z\u{205F}w",
    ]

    @Test("fused HTML→text with the C1 repair equals plainText then repairingC1Controls")
    func readableTextMatchesTheTwoPasses() {
        for text in Self.texts {
            let bytes = Array(text.utf8)
            #expect(
                HTMLText.text(bytes, in: 0..<bytes.count, markup: true, repairingC1: true)
                    == HTMLText.repairingC1Controls(HTMLText.plainText(text)), "\(text.debugDescription)")
            #expect(
                HTMLText.text(bytes, in: 0..<bytes.count, markup: false, repairingC1: true)
                    == HTMLText.repairingC1Controls(HTMLText.foldWhitespace(text)), "\(text.debugDescription)")
        }
    }

    @Test("trimmedRange keeps exactly what trimmed keeps")
    func trimmedRangeMatchesTrimmed() {
        for text in Self.texts {
            let bytes = Array(text.utf8)
            let range = HTMLText.trimmedRange(bytes)
            #expect(String(decoding: bytes[range], as: UTF8.self) == HTMLText.trimmed(text), "\(text.debugDescription)")
        }
    }

    @Test(
        "the common date forms read from bytes equal the general parsers",
        arguments: [
            "Mon, 01 Nov 2026 08:30:00 +0000", "Tue, 2 Nov 2026 23:59:59 -0530", "Wed, 03 Nov 2026 00:00:00 GMT",
            "Thu, 04 Nov 2026 12:00:00 UTC", "Fri, 05 Nov 2026 12:00:00 EST", "Sat, 06 Nov 2026 12:00:00 EDT",
            "Sun, 07 Nov 2026 12:00:00 PST", "Sun, 07 Nov 2026 12:00:00 PDT", "Mon, 31 Feb 2026 10:00:00 +0000",
            "Mon, 01 Nov 2026 24:00:00 +0000", "Mon, 01 Nov 2026 08:30:60 +0000", "Mon, 1 Nov 2026 08:30:00 +01",
            "2026-11-01T08:30:00Z", "2026-11-01T08:30:00+01:00", "2026-11-01T08:30:00-09:30", "2026-13-01T08:30:00Z",
            "2026-11-01T08:30:00Zjunk", "2026-11-01T08:30:00.25Z",
        ])
    func commonDateForms(_ text: String) {
        let general = text.first?.isNumber == true ? FeedDate.parseISO8601(text) ?? FeedDate.parseRFC822(text) : FeedDate.parseRFC822(text)
        #expect(FeedDate.parse(text) == general)
    }
}
