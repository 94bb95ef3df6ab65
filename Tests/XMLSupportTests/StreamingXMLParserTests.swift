import Foundation
import Testing
@testable import XMLSupport

/// Records every event of a parse, in order.
final class EventRecorder: XMLStreamHandler {
    enum Event: Equatable, CustomStringConvertible {
        case start(XMLName, [XMLAttribute])
        case end(XMLName)
        case text(String)

        var description: String {
            switch self {
            case .start(let name, let attributes):
                "<\(name)\(attributes.map { " \($0.name)=\"\($0.value)\"" }.joined())>"
            case .end(let name): "</\(name)>"
            case .text(let text): "text(\(text.debugDescription))"
            }
        }
    }

    var events: [Event] = []

    func startElement(_ name: XMLName, attributes: [XMLAttribute]) { events.append(.start(name, attributes)) }
    func endElement(_ name: XMLName) { events.append(.end(name)) }
    func text(_ utf8: [UInt8]) { events.append(.text(String(decoding: utf8, as: UTF8.self))) }

    /// All text, in document order.
    var text: String {
        events.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined()
    }

    var texts: [String] {
        events.compactMap { if case .text(let text) = $0 { text } else { nil } }
    }

    func attributes(of localName: String) -> [XMLAttribute]? {
        for event in events {
            if case .start(let name, let attributes) = event, name.localName == localName { return attributes }
        }
        return nil
    }

    var startedElements: [String] {
        events.compactMap { if case .start(let name, _) = $0 { name.localName } else { nil } }
    }
}

private func parse(_ xml: String, encoding: String? = nil) -> (EventRecorder, XMLParseReport) {
    let recorder = EventRecorder()
    let report = StreamingXMLParser.parse(Array(xml.utf8), encoding: encoding, handler: recorder)
    return (recorder, report)
}

private func name(_ local: String, _ namespace: String? = nil) -> XMLName {
    XMLName(namespace: namespace, localName: local)
}

@Suite("StreamingXMLParser: events")
struct StreamingXMLParserEventTests {
    @Test func namespacesAndAttributesComeThrough() {
        let (recorder, report) = parse(
            #"<r xmlns="urn:default" xmlns:b="urn:b"><b:x b:flag="1" plain="two">hi</b:x><y/></r>"#)
        #expect(report.isWellFormed)
        #expect(
            recorder.events == [
                .start(name("r", "urn:default"), []),
                .start(
                    name("x", "urn:b"),
                    [
                        XMLAttribute(name: name("flag", "urn:b"), value: "1"),
                        // Unprefixed attributes are in no namespace, whatever the default namespace is.
                        XMLAttribute(name: name("plain"), value: "two"),
                    ]),
                .text("hi"),
                .end(name("x", "urn:b")),
                .start(name("y", "urn:default"), []),
                .end(name("y", "urn:default")),
                .end(name("r", "urn:default")),
            ])
    }

    @Test func eachDistinctNameHasOneParseIndexAndEqualityIgnoresIt() throws {
        // Enough distinct names to fill the name cache's table, so that slots are reused.
        let many = (0..<300).map { "<e\($0)/>" }.joined()
        let (recorder, _) = parse(#"<r xmlns:a="urn:a"><x/><a:x/>"# + many + #"<x a:x="1"/><a:x/></r>"#)
        var indexes: [XMLName: Int] = [:]
        for event in recorder.events {
            guard case .start(let name, let attributes) = event else { continue }
            for name in [name] + attributes.map(\.name) {
                let index = try #require(name.parseIndex)
                #expect(indexes[name, default: index] == index, "\(name)")
                indexes[name] = index
            }
        }
        #expect(Set(indexes.values).count == indexes.count)
        // r, x, {urn:a}x (element and attribute alike) and the 300 others.
        #expect(indexes.count == 303)
        #expect(XMLName(namespace: "urn:a", localName: "x").parseIndex == nil)
        #expect(indexes.keys.contains(XMLName(namespace: "urn:a", localName: "x")))
    }

    @Test func elementsWithoutNamespaceHaveNilNamespace() {
        let (recorder, _) = parse("<rss><channel/></rss>")
        #expect(recorder.events.first == .start(name("rss"), []))
        #expect(XMLName(namespace: "urn:a", localName: "x").description == "{urn:a}x")
        #expect(XMLName(namespace: nil, localName: "x").description == "x")
    }

    @Test func xmlNamespaceAttributesAreResolved() {
        let (recorder, _) = parse(#"<feed xml:base="https://a.example/" xml:lang="fr"/>"#)
        let attributes = try! #require(recorder.attributes(of: "feed"))
        #expect(
            attributes == [
                XMLAttribute(name: name("base", "http://www.w3.org/XML/1998/namespace"), value: "https://a.example/"),
                XMLAttribute(name: name("lang", "http://www.w3.org/XML/1998/namespace"), value: "fr"),
            ])
    }

    @Test func textIsCoalescedBetweenElementBoundaries() {
        // Character data, an entity, CDATA and a character reference are separate SAX callbacks.
        let (recorder, report) = parse("<r>one &amp; <![CDATA[two]]> &#x33;<b/>four</r>")
        #expect(report.isWellFormed)
        #expect(recorder.texts == ["one & two 3", "four"])
    }

    @Test func longTextArrivesAsOneEvent() {
        let long = String(repeating: "abcdefghij", count: 50_000)
        let (recorder, _) = parse("<r>\(long)</r>")
        #expect(recorder.texts.count == 1)
        #expect(recorder.text == long)
    }

    @Test func cdataIsDeliveredVerbatim() {
        let (recorder, report) = parse("<r><![CDATA[<b>bold</b> & <i>more</i> &amp;]]></r>")
        #expect(report.isWellFormed)
        #expect(recorder.text == "<b>bold</b> & <i>more</i> &amp;")
        // The markup inside CDATA is text, never elements.
        #expect(recorder.startedElements == ["r"])
    }

    @Test func htmlNamedEntitiesInText() {
        let (recorder, _) = parse("<r>a&nbsp;b caf&eacute; &amp; &lt;tag&gt; &hellip;&mdash;&euro;</r>")
        #expect(recorder.text == "a\u{00A0}b café & <tag> …—€")
    }

    @Test func htmlNamedEntitiesAndAmpersandsInAttributeValues() {
        let (recorder, _) = parse(#"<r><a href="a?x=1&amp;y=2" title="caf&eacute;&nbsp;noir" q="&quot;hi&quot;"/></r>"#)
        let attributes = try! #require(recorder.attributes(of: "a"))
        #expect(
            attributes == [
                XMLAttribute(name: name("href"), value: "a?x=1&y=2"),
                XMLAttribute(name: name("title"), value: "café\u{00A0}noir"),
                XMLAttribute(name: name("q"), value: "\"hi\""),
            ])
    }

    @Test func sameNamedEntityInAttributeAndTextOfOneElement() {
        // libxml2 2.9 copies only the first byte of a "predefined" entity into an attribute value:
        // a multi-byte character there must still arrive whole, and text must stay unaffected.
        let (recorder, report) = parse(#"<r><a t="&eacute;&euro;&amp;">&eacute;&euro;&amp;</a><b u="x&hellip;">&hellip;</b></r>"#)
        #expect(recorder.attributes(of: "a") == [XMLAttribute(name: name("t"), value: "é€&")])
        #expect(recorder.attributes(of: "b") == [XMLAttribute(name: name("u"), value: "x…")])
        #expect(recorder.texts == ["é€&", "…"])
        #expect(report.isWellFormed)
    }

    @Test func unknownEntityDoesNotDeliverItsName() {
        let (recorder, report) = parse("<r>a &nosuchentity; b</r>")
        #expect(!recorder.text.contains("nosuchentity"))
        #expect(recorder.text.hasPrefix("a "))
        #expect(recorder.text.hasSuffix(" b"))
        #expect(!report.isWellFormed)
    }
}

@Suite("StreamingXMLParser: damaged input")
struct StreamingXMLParserRecoveryTests {
    @Test func malformedDocumentKeepsEventsBeforeAndAfterTheError() {
        let xml = """
            <r>
              <a>before</a>
              <b>broken</c>
              <d>after</d>
            </r>
            """
        let (recorder, report) = parse(xml)
        #expect(recorder.texts.contains("before"))
        #expect(recorder.texts.contains("after"))
        #expect(recorder.startedElements.starts(with: ["r", "a", "b"]))
        #expect(recorder.startedElements.contains("d"))
        let problem = try! #require(report.problems.first)
        #expect(problem.line == 3)
        #expect(!problem.message.isEmpty)
        #expect(problem.description.hasPrefix("line 3, column "))
        #expect(!report.isWellFormed)
    }

    @Test func bareAmpersandIsReportedAndTheRestOfTheTextSurvives() {
        let (recorder, report) = parse("<r><t>AT&T wins</t><u>Tom &amp; Jerry</u></r>")
        #expect(!report.problems.isEmpty)
        // After libxml2 marks the document not well-formed, later entities must still be decoded.
        #expect(recorder.texts.last == "Tom & Jerry")
    }

    @Test func problemsAreCappedButCounted() {
        let body = String(repeating: "<i>&bad;</i>\n", count: StreamingXMLParser.maximumRecordedProblems + 30)
        let (_, report) = parse("<r>\n\(body)</r>")
        #expect(report.problems.count == StreamingXMLParser.maximumRecordedProblems)
        #expect(report.unrecordedProblemCount > 0)
        #expect(!report.isWellFormed)
    }

    @Test func emptyInputReportsAProblemAndNoEvents() {
        let (recorder, report) = parse("")
        #expect(recorder.events.isEmpty)
        #expect(!report.problems.isEmpty)
    }

    @Test func invalidUTF8DoesNotCrash() {
        var bytes = Array("<r><a>ok</a><b>".utf8)
        bytes += [0xFF, 0xFE, 0xC3]
        bytes += Array("</b><c>later</c></r>".utf8)
        let recorder = EventRecorder()
        let report = StreamingXMLParser.parse(bytes, handler: recorder)
        #expect(recorder.texts.first == "ok")
        #expect(!report.problems.isEmpty)
    }
}

@Suite("StreamingXMLParser: hostile input")
struct StreamingXMLParserSecurityTests {
    @Test func externalEntityIsNotRead() throws {
        let xml = #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>before&x;after</r>"#
        let (recorder, _) = parse(xml)
        #expect(!recorder.text.contains("root:"))
        #expect(recorder.text == "beforeafter")
    }

    @Test func externalEntityInAttributeIsNotRead() {
        let xml = #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r a="&x;">t</r>"#
        let (recorder, _) = parse(xml)
        let attributes = recorder.attributes(of: "r") ?? []
        #expect(!attributes.contains { $0.value.contains("root:") })
        #expect(!recorder.text.contains("root:"))
    }

    @Test func externalParameterEntityAndDTDAreNotLoaded() {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE r SYSTEM "file:///etc/passwd" [
              <!ENTITY % p SYSTEM "file:///etc/passwd">
              %p;
            ]>
            <r>text</r>
            """
        let (recorder, _) = parse(xml)
        #expect(!recorder.text.contains("root:"))
    }

    @Test func internalEntitiesAreNotExpanded() {
        let xml = #"<!DOCTYPE r [<!ENTITY greeting "SECRET">]><r>&greeting;</r>"#
        let (recorder, _) = parse(xml)
        #expect(!recorder.text.contains("SECRET"))
    }

    @Test func billionLaughsStaysSmall() {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <lolz a="&lol9;">&lol9;&lol9;</lolz>
            """
        let (recorder, _) = parse(xml)
        #expect(recorder.text.count < 1000)
        #expect(!recorder.text.contains("lollol"))
        let attributeText = (recorder.attributes(of: "lolz") ?? []).map(\.value).joined()
        #expect(attributeText.count < 1000)
    }

    @Test func quadraticBlowupStaysSmall() {
        let big = String(repeating: "x", count: 20_000)
        let references = String(repeating: "&big;", count: 2_000)
        let xml = "<!DOCTYPE r [<!ENTITY big \"\(big)\">]><r>\(references)</r>"
        let (recorder, _) = parse(xml)
        #expect(recorder.text.count < 1000)
    }
}

@Suite("StreamingXMLParser: encodings")
struct StreamingXMLParserEncodingTests {
    @Test func encodingOverrideDecodesLatin1() {
        // "<r>café</r>" in ISO-8859-1: é is the single byte 0xE9, which is not valid UTF-8.
        let bytes: [UInt8] = Array("<r>caf".utf8) + [0xE9] + Array("</r>".utf8)
        let recorder = EventRecorder()
        let report = StreamingXMLParser.parse(bytes, encoding: "ISO-8859-1", handler: recorder)
        #expect(recorder.text == "café")
        #expect(report.problems.isEmpty)
        #expect(report.encoding?.uppercased() == "ISO-8859-1")
    }

    @Test func encodingOverrideWinsOverAWrongDeclaration() {
        // A server that says Latin-1 in its headers about a document that claims UTF-8.
        let bytes: [UInt8] =
            Array(#"<?xml version="1.0" encoding="UTF-8"?><r a="na"#.utf8) + [0xEF] + Array(#"ve">caf"#.utf8) + [0xE9]
            + Array("</r>".utf8)
        let recorder = EventRecorder()
        _ = StreamingXMLParser.parse(bytes, encoding: "ISO-8859-1", handler: recorder)
        #expect(recorder.text == "café")
        #expect(recorder.attributes(of: "r")?.first?.value == "naïve")
    }

    @Test func declaredLatin1IsDecoded() {
        let bytes: [UInt8] =
            Array(#"<?xml version="1.0" encoding="ISO-8859-1"?><r>"#.utf8) + [0x47, 0x72, 0xFC, 0xDF, 0x65]
            + Array("</r>".utf8)
        let recorder = EventRecorder()
        let report = StreamingXMLParser.parse(bytes, handler: recorder)
        #expect(recorder.text == "Grüße")
        #expect(report.problems.isEmpty)
    }

    @Test func utf8WithByteOrderMarkIsDecoded() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<r>Zürich 서울</r>".utf8)
        let recorder = EventRecorder()
        let report = StreamingXMLParser.parse(bytes, handler: recorder)
        #expect(recorder.text == "Zürich 서울")
        #expect(report.isWellFormed)
    }

    @Test func utf16IsDecoded() {
        var bytes: [UInt8] = [0xFF, 0xFE]  // little-endian BOM
        for unit in "<r>Ωmega</r>".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let recorder = EventRecorder()
        _ = StreamingXMLParser.parse(bytes, handler: recorder)
        #expect(recorder.text == "Ωmega")
    }
}
