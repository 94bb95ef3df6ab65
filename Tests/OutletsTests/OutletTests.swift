import Testing
@testable import Outlets

private func outlet(_ biases: [Bias], factualities: [Factuality] = [], manual: Bias? = nil, manualFactuality: Factuality? = nil) -> Outlet {
    var ratings = biases.enumerated().map { Rating(rater: "rater-\($0.offset)", bias: $0.element, date: "2026-11-01") }
    ratings += factualities.enumerated().map { Rating(rater: "fact-\($0.offset)", factuality: $0.element, date: "2026-11-01") }
    return Outlet(id: "o", name: "O", domains: ["o.example"], manualBias: manual, manualFactuality: manualFactuality, ratings: ratings)
}

@Suite("Outlet bias and factuality")
struct OutletDerivationTests {
    @Test func manualBiasWinsOverRaters() {
        #expect(outlet([.right, .right], manual: .left).bias == .left)
        #expect(outlet([], manual: .center).bias == .center)
    }

    @Test(arguments: [
        ([Bias.left], Bias.left),
        ([.leanRight], .leanRight),
        ([.left, .center], .leanLeft),
        ([.left, .left, .center], .leanLeft),  // −1.33
        ([.right, .right, .center], .leanRight),  // +1.33
        ([.leanRight, .right, .right], .right),  // +1.67
        ([.left, .right], .center),
        ([.leanLeft, .leanRight, .center], .center),
    ])
    func meanOfRaters(_ ratings: [Bias], _ expected: Bias) {
        #expect(outlet(ratings).bias == expected)
    }

    @Test(arguments: [
        ([Bias.center, .leanRight], Bias.center),  // +0.5
        ([.leanLeft, .center], .center),  // −0.5
        ([.leanRight, .right], .leanRight),  // +1.5
        ([.left, .leanLeft], .leanLeft),  // −1.5
        ([.left, .left, .leanLeft, .leanLeft], .leanLeft),  // −1.5
    ])
    func tieRoundsTowardCenter(_ ratings: [Bias], _ expected: Bias) {
        #expect(outlet(ratings).bias == expected)
    }

    @Test func noRatingsIsUnrated() {
        #expect(outlet([]).bias == .unrated)
        // Ratings that only speak of factuality say nothing about bias.
        #expect(outlet([], factualities: [.high]).bias == .unrated)
        // A rater's "unrated" is no score either.
        #expect(outlet([.unrated]).bias == .unrated)
        #expect(outlet([.unrated, .right]).bias == .right)
    }

    @Test func factualityManualWinsElseMeanRoundedHalfDown() {
        #expect(outlet([], factualities: [.veryLow], manualFactuality: .veryHigh).factuality == .veryHigh)
        #expect(outlet([], factualities: [.high, .mixed]).factuality == .mostlyFactual)  // 3
        #expect(outlet([], factualities: [.high, .mostlyFactual]).factuality == .mostlyFactual)  // 3.5 → 3
        #expect(outlet([], factualities: [.veryHigh, .high]).factuality == .high)  // 4.5 → 4
        #expect(outlet([], factualities: [.veryHigh, .veryHigh, .high]).factuality == .veryHigh)  // 4.67 → 5
        #expect(outlet([], factualities: [.low, .veryLow]).factuality == .veryLow)  // 0.5 → 0
        #expect(outlet([.left]).factuality == .unrated)
    }

    @Test func scoresAndClamping() {
        #expect(Bias.rated.map(\.score) == [-2, -1, 0, 1, 2])
        #expect(Bias.unrated.score == nil)
        #expect(Bias(score: -7) == .left)
        #expect(Bias(score: 9) == .right)
        #expect(Factuality(score: 12) == .veryHigh)
        #expect(Factuality(score: -3) == .veryLow)
        #expect(Bias.rated.map(\.side) == [.left, .left, .center, .right, .right])
        #expect(Bias.unrated.side == nil)
        #expect(Bias.left < Bias.leanLeft && Bias.right < Bias.unrated)
    }
}

@Suite("OutletRegistry by name")
struct OutletRegistryNameTests {
    let registry = OutletRegistry([
        Outlet(id: "guardian", name: "The Guardian", domains: ["theguardian.com"]),
        Outlet(id: "ap", name: "Associated Press", domains: ["apnews.com"]),
    ])

    @Test(arguments: [("The Guardian", "guardian"), ("guardian", "guardian"), ("THE  GUARDIAN", "guardian"), ("Associated Press", "ap"), ("associated press.", "ap")])
    func aggregatorNamesFindTheirOutlet(name: String, id: String) {
        #expect(registry.outlet(named: name)?.id == id)
    }

    @Test(arguments: ["Guardians", "Press", "", "The"])
    func otherNamesFindNothing(name: String) {
        #expect(registry.outlet(named: name) == nil)
    }
}

@Suite("OutletRegistry")
struct OutletRegistryTests {
    let registry = OutletRegistry([
        Outlet(id: "cnn", name: "CNN", domains: ["cnn.com"]),
        Outlet(id: "bbc", name: "BBC", domains: ["bbc.co.uk", "bbc.com"]),
        Outlet(id: "messy", name: "Messy", domains: ["WWW.Messy.Example."]),
        // A misconfigured bare top-level domain must never swallow every .com host.
        Outlet(id: "bogus", name: "Bogus", domains: ["com", "uk"]),
    ])

    @Test(arguments: [
        ("cnn.com", "cnn"),
        ("www.cnn.com", "cnn"),
        ("CNN.COM", "cnn"),
        ("cnn.com.", "cnn"),
        ("edition.cnn.com", "cnn"),
        ("a.b.edition.cnn.com", "cnn"),
        ("bbc.co.uk", "bbc"),
        ("news.bbc.co.uk", "bbc"),
        ("www.bbc.com", "bbc"),
        ("messy.example", "messy"),
        ("www.messy.example", "messy"),
        ("sub.messy.example", "messy"),
    ])
    func finds(_ host: String, _ id: String) {
        #expect(registry.outlet(forHost: host)?.id == id)
    }

    @Test(arguments: ["foxnews.com", "notcnn.com", "cnn.com.evil.example", "example.co.uk", "example.com", "localhost", ""])
    func unknownIsNil(_ host: String) {
        #expect(registry.outlet(forHost: host) == nil)
    }

    @Test func lookupByID() {
        #expect(registry["bbc"]?.name == "BBC")
        #expect(registry["nope"] == nil)
        #expect(registry.outlets.count == 4)
    }
}
