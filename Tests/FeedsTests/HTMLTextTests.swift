import Testing
@testable import Feeds

@Suite("HTMLText.plainText")
struct HTMLTextTests {
    @Test(arguments: [
        ("<p>Hello <b>world</b></p><p>Again</p>", "Hello world Again"),
        ("Line one<br>line two<br/>line three", "Line one line two line three"),
        ("<ul><li>a</li><li>b</li></ul>", "a b"),
        ("<a href=\"https://x.example/?a=1&b=2\">link</a> text", "link text"),
        ("<script>alert('<b>x</b>')</script>Visible", "Visible"),
        ("Before<SCRIPT type=\"text/javascript\">var a = 1 < 2;</SCRIPT>after", "Before after"),
        ("<style>p { color: red }</style><p>Styled</p>", "Styled"),
        ("Text<script>never closed", "Text"),
        ("caf&eacute; &amp; cr&egrave;me", "café & crème"),
        ("&#233;t&#xE9; &#X4E2D;", "été 中"),
        ("&ldquo;Quote&rdquo; &mdash; &hellip;", "“Quote” — …"),
        ("a&nbsp;&nbsp;b", "a b"),
        ("  lots \n\t of\u{00A0}\u{00A0}  space  ", "lots of space"),
        ("a < b and c > d", "a < b and c > d"),
        ("x<3 y", "x<3 y"),
        ("AT&T and Q&A", "AT&T and Q&A"),
        ("&bogus; &#0; &#xZZ;", "&bogus; &#0; &#xZZ;"),
        ("<!-- a comment -->Shown", "Shown"),
        ("Unclosed <b", "Unclosed <b"),
        ("plain", "plain"),
        ("", ""),
    ])
    func plainText(_ html: String, _ expected: String) {
        #expect(HTMLText.plainText(html) == expected)
    }

    @Test func escapedEntitiesAreDecodedOnceOnly() {
        // "&amp;lt;" is the text "&lt;", not "<".
        #expect(HTMLText.plainText("&amp;lt;b&amp;gt;") == "&lt;b&gt;")
    }
}
