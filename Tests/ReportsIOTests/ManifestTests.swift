import Coverage
import Foundation
import Outlets
import Reports
import Testing
@testable import ReportsIO

@Suite("Reports manifest")
struct ManifestTests {
    static let nasty = "tab\there\nline\r\\n not a newline \\ \u{1B}[2J ünïcödé 🗞️ \"quoted\" \t"

    static func summary(id: Int64, title: String, outlets: [StorySummary.OutletRef], missingSide: Side? = nil) -> StorySummary {
        StorySummary(
            id: id, title: title, firstSeenAt: Date(timeIntervalSince1970: 1_795_000_000.123_456_7),
            lastSeenAt: Date(timeIntervalSinceReferenceDate: 0.1 + 0.2), articleCount: 7, uniqueArticleCount: 5, ratedOutletCount: 2,
            biasByOutlet: [.left: 1, .right: 1, .unrated: 0],
            blindspot: BlindspotVerdict(missingSide: missingSide, smallSample: missingSide == nil, explanation: nasty), outlets: outlets)
    }

    @Test func roundTripsEveryFieldExactly() throws {
        let a = StorySummary.OutletRef(key: "a.example", name: Self.nasty, bias: .left)
        let b = StorySummary.OutletRef(key: "b\tkey", name: "B", bias: .right)
        let sameKeyOtherName = StorySummary.OutletRef(key: "a.example", name: "A renamed", bias: .unrated)
        var manifest = Manifest()
        manifest.stories[3] = Manifest.Entry(signature: Self.nasty, summary: Self.summary(id: 3, title: Self.nasty, outlets: [a, b]))
        manifest.stories[-4] = Manifest.Entry(signature: "", summary: Self.summary(id: -4, title: "", outlets: [b, sameKeyOtherName, a], missingSide: .right))
        manifest.stories[5] = Manifest.Entry(signature: "s", summary: Self.summary(id: 5, title: "no outlets", outlets: []))
        manifest.shared = ["index.html": "0123456789abcdef", "outlets/b_x.html": Self.nasty]

        let bytes = manifest.encoded()
        let read = try #require(Manifest(decoding: bytes))
        #expect(read == manifest)
        #expect(read.stories[3]?.summary.signature == manifest.stories[3]?.summary.signature)
        #expect(read.encoded() == bytes)
        // Each outlet once, however many stories name it.
        #expect(String(decoding: bytes, as: UTF8.self).components(separatedBy: "\no\t").count - 1 == 3)
    }

    @Test(arguments: [
        "", "parallax-reports-manifest 1\n", "parallax-reports-manifest 2\n", "parallax-reports-manifest 3", "{\"version\":1}",
        "parallax-reports-manifest 3\ns\t1\n", "parallax-reports-manifest 3\nx\ta\tb\n",
        "parallax-reports-manifest 3\no\tk\tname\tpurple\n",
    ])
    func anythingElseIsNotAManifest(_ text: String) {
        #expect(Manifest(decoding: Array(text.utf8)) == nil)
    }

    @Test func aDamagedStoryLineRejectsTheWholeManifest() throws {
        var manifest = Manifest()
        let outlet = StorySummary.OutletRef(key: "k", name: "K", bias: .center)
        manifest.stories[1] = Manifest.Entry(signature: "x", summary: Self.summary(id: 1, title: "t", outlets: [outlet]))
        let text = String(decoding: manifest.encoded(), as: UTF8.self)
        #expect(Manifest(decoding: Array(text.utf8)) != nil)
        // An outlet number that names no outlet (field 14 of the story line), and a truncated file.
        var lines = text.components(separatedBy: "\n")
        let storyLine = try #require(lines.firstIndex { $0.hasPrefix("s\t") })
        var fields = lines[storyLine].components(separatedBy: "\t")
        #expect(fields[14] == "0")
        fields[14] = "7"
        lines[storyLine] = fields.joined(separator: "\t")
        #expect(Manifest(decoding: Array(lines.joined(separator: "\n").utf8)) == nil)
        #expect(Manifest(decoding: Array(text.utf8.dropLast())) == nil)
    }
}
