import Testing
@testable import Brief

@Suite("Sentence splitting")
struct SentenceSplitterTests {
    func split(_ text: String) -> [String] { SentenceSplitter.sentences(in: text).map(String.init) }

    @Test func abbreviationsNumbersAndDatesStayWhole() {
        #expect(split("The U.S. Senate voted 52-48 on Nov. 4 to pass it. Dr. Ana Ruiz said growth was 3.2 percent.")
            == ["The U.S. Senate voted 52-48 on Nov. 4 to pass it.", "Dr. Ana Ruiz said growth was 3.2 percent."])
        #expect(split("Mr. Voss and J. K. Lee met at 10 a.m. in St. Louis. They left.")
            == ["Mr. Voss and J. K. Lee met at 10 a.m. in St. Louis.", "They left."])
        #expect(split("It was rule No. 5 of the charter. Nobody knew.") == ["It was rule No. 5 of the charter.", "Nobody knew."])
    }

    @Test func quotesAndBracketsStayWithTheirSentence() {
        #expect(split("\"I think it's great,\" the Defense Secretary said. \"Stop!\" he shouted. Then he left.")
            == ["\"I think it's great,\" the Defense Secretary said.", "\"Stop!\" he shouted.", "Then he left."])
        #expect(split("She said: “We will win.” Others doubted it (as usual.) Next came a vote.")
            == ["She said: “We will win.”", "Others doubted it (as usual.)", "Next came a vote."])
        #expect(split("Why now? Nobody said. Really?! Yes.") == ["Why now?", "Nobody said.", "Really?!", "Yes."])
    }

    @Test func lowerCaseAfterAStopIsNoNewSentence() {
        #expect(split("The plan (approx. half the budget) passed. e.g. this stays") == ["The plan (approx. half the budget) passed. e.g. this stays"])
        #expect(split("Version 2.0.1 shipped.It was late.") == ["Version 2.0.1 shipped.It was late."])
    }

    @Test func chineseJapaneseAndKoreanEnds() {
        #expect(split("国会は法案を可決した。首相は歓迎した！本当か？はい。") == ["国会は法案を可決した。", "首相は歓迎した！", "本当か？", "はい。"])
        #expect(split("卫星发射成功。专家表示“意义重大”。") == ["卫星发射成功。", "专家表示“意义重大”。"])
        #expect(split("국회가 법안을 통과시켰다. 정부는 환영했다.") == ["국회가 법안을 통과시켰다.", "정부는 환영했다."])
        #expect(split("半角の句点｡次の文") == ["半角の句点｡", "次の文"])
    }

    @Test func cutsAndWhitespaceKeepTheTextVerbatim() {
        #expect(split("  The storm hit the coast.\n\nResidents were told to leave […]") == ["The storm hit the coast.", "Residents were told to leave […]"])
        #expect(split("Talks stalled... Then a deal came.") == ["Talks stalled...", "Then a deal came."])
        #expect(split("") == [])
        #expect(split("   ") == [])
        #expect(split("No ending at all") == ["No ending at all"])
    }

    /// The byte-wise path for ASCII text must cut exactly where the scalar path does.
    @Test func asciiPathCutsWhereTheScalarPathDoes() {
        let pieces = [
            "The", "U.S.", "Senate", "Dr.", "p.", "p", "5", "3.2", "No.", "no.", "Nov.", "J.", "a.m.", "St.", "Inc.", "approx.",
            "said.", "said!", "said?!", "...", "\"Stop!\"", "(as usual.)", "[x]", "'quoted.'", "\t", "\n", "  ", "Then", "x.", "X.", "42.",
            "Mississippi.", "\"We", "{a}.", ".", "?", "!",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            var words: [String] = []
            for _ in 0..<12 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                words.append(pieces[Int(state >> 33) % pieces.count])
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let text = words.joined(separator: state >> 63 == 0 ? " " : "")
            #expect(SentenceSplitter.asciiSentences(in: text) == SentenceSplitter.scalarSentences(in: text), "\(text)")
        }
    }
}
