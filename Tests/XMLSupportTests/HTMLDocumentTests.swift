import Foundation
import Testing
@testable import XMLSupport

private func document(_ html: String, encoding: String? = nil) throws -> HTMLDocument {
    try #require(HTMLDocument(data: Data(html.utf8), url: "https://example.com/page", encoding: encoding))
}

@Suite("HTMLDocument")
struct HTMLDocumentTests {
    @Test func selectsElementsAsValues() throws {
        let page = try document("""
            <html><head><title>T</title><link rel="alternate" href="/feed.xml" TYPE="application/rss+xml"></head>
            <body><p class=x>one <b>two</b></p><p>three</p></body></html>
            """)
        let links = try page.select("//link")
        #expect(links.count == 1)
        #expect(links[0].name == "link")
        #expect(links[0]["type"] == "application/rss+xml")
        #expect(links[0]["href"] == "/feed.xml")
        #expect(try page.select("//p").map(\.text) == ["one two", "three"])
        #expect(try page.first("//p[@class='x']/b")?.text == "two")
        #expect(try page.first("//article") == nil)
    }

    @Test func stringsOfAttributesAndExpressions() throws {
        let page = try document("<p><a href='a.html'>A</a><a href='b.html'>B &amp; C</a></p>")
        #expect(try page.strings("//a/@href") == ["a.html", "b.html"])
        #expect(try page.strings("//a") == ["A", "B & C"])
        #expect(try page.strings("count(//a)") == ["2"])
        #expect(try page.strings("string(//a[2])") == ["B & C"])
    }

    @Test func recordsEvaluateFieldsRelativeToEachItem() throws {
        let page = try document("""
            <ul><li id=1><a href="/x">X</a><cite>Outlet X</cite></li>
            <li id=2><a href="/y">Y</a></li></ul>
            """)
        let records = try page.records(item: "//li", fields: ["link": "./a/@href", "outlet": ".//cite", "id": "string(@id)"])
        #expect(records.count == 2)
        #expect(records[0] == ["link": ["/x"], "outlet": ["Outlet X"], "id": ["1"]])
        #expect(records[1] == ["link": ["/y"], "outlet": [], "id": ["2"]])
    }

    @Test func invalidXPathIsATypedError() throws {
        let page = try document("<p>x</p>")
        #expect(throws: XPathError(expression: "//p[")) { try page.select("//p[") }
        #expect(throws: XPathError(expression: "((")) { try page.records(item: "//p", fields: ["a": "(("]) }
    }

    @Test func tagSoupIsRecovered() throws {
        let page = try document("<div><p>unclosed <b>bold<div>inner</p></span>tail")
        #expect(try page.strings("string(//body)").first?.contains("tail") == true)
        #expect(try page.select("//b").count == 1)
    }

    @Test func emptyInputGivesNoDocument() {
        #expect(HTMLDocument(data: Data()) == nil)
    }

    @Test func metaCharsetAndOverrideDecideTheEncoding() throws {
        let latin1: [UInt8] = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf".utf8) + [0xE9] + Array("</p></body></html>".utf8)
        let page = try #require(HTMLDocument(data: Data(latin1)))
        #expect(try page.strings("//p") == ["café"])
        let overridden = try #require(HTMLDocument(data: Data(latin1), encoding: "windows-1252"))
        #expect(try overridden.strings("//p") == ["café"])
    }

    @Test func externalEntitiesAndNetworkAreNeverLoaded() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-html-xxe-\(UUID().uuidString).txt")
        try "TOP-SECRET".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let page = try document("""
            <!DOCTYPE html [<!ENTITY xxe SYSTEM "\(secret.absoluteString)">]><html><body><p>&xxe;</p>
            <iframe src="\(secret.absoluteString)"></iframe></body></html>
            """)
        #expect(try page.strings("string(/)").first?.contains("TOP-SECRET") == false)
    }

    @Test func deepNestingDoesNotOverflow() throws {
        let html = String(repeating: "<div>", count: 100_000) + "deep" + String(repeating: "</div>", count: 100_000)
        let page = try document(html)
        #expect(try page.strings("count(//div)").first.flatMap(Int.init).map { $0 > 0 } == true)
    }
}

@Suite("InputEncoding")
struct InputEncodingTests {
    @Test(arguments: [
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", "ISO-8859-1"),
        ("<?xml version='1.0' encoding = 'Shift_JIS' ?><a/>", "Shift_JIS"),
        ("<?xml version=\"1.0\"?><a/>", nil),
        ("<rss/>", nil),
        // Found by fuzz-feeds: a declaration shorter than the word "encoding" trapped.
        ("<?xmm/>\n<category>x</category>", nil),
        ("<?x>", nil),
        ("><?xml encoding=\"UTF-8\"", nil),
        ("<?xml encoding=\"unterminated", nil),
    ] as [(String, String?)])
    func declaredEncoding(_ document: String, _ expected: String?) {
        #expect(InputEncoding.declared(in: Data(document.utf8)) == expected)
    }

    @Test func validUTF8NeedsNoRepairAndInvalidBytesBecomeWindows1252() {
        #expect(InputEncoding.repairingUTF8(Data("é ok 中".utf8)) == nil)
        let repaired = InputEncoding.repairingUTF8(Data([0x61, 0x93, 0xE9, 0xE2, 0x82, 0x62, 0x81]))
        #expect(repaired.map { String(decoding: $0.data, as: UTF8.self) } == "a“éâ‚b\u{FFFD}")
        #expect(repaired?.replaced == 5)
    }

    @Test(arguments: 0..<24)
    func oneBadByteIsFoundWhereverItFallsInTheEightByteASCIIScan(offset: Int) {
        var bytes = Array(repeating: UInt8(ascii: "x"), count: 24)
        bytes[offset] = 0xE9
        let repaired = InputEncoding.repairingUTF8(Data(bytes))
        #expect(repaired?.replaced == 1)
        #expect(repaired.map { String(decoding: $0.data, as: UTF8.self) }
            == String(repeating: "x", count: offset) + "é" + String(repeating: "x", count: 23 - offset))
        // A valid two-byte character across an eight-byte boundary needs no repair.
        var valid = Array(repeating: UInt8(ascii: "x"), count: 24)
        if offset < 23 { (valid[offset], valid[offset + 1]) = (0xC3, 0xA9) }
        #expect(InputEncoding.repairingUTF8(Data(valid)) == nil)
    }
}
