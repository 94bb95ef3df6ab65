import Foundation
import XMLSupport

/// Guesses the encoding of a document that declares none (no BOM, no HTTP charset, no XML
/// declaration) and is not UTF-8: legacy bytes that news sites in Asia and Eastern Europe still
/// serve. Each candidate encoding decodes the bytes strictly (one that meets a byte it does not
/// define is out); the text it yields is scored against a small model of the language written
/// in that encoding: the share of its characters that are that language's common ones, less
/// penalties for what a real text does not contain (control characters, a Thai vowel sign with
/// no consonant, a Hebrew final letter inside a word, Cyrillic letters glued to Latin ones,
/// capitals inside lower-case words).
/// A wrong decoding yields real characters too, but rare ones in no coherent order.
public enum EncodingGuess {
    public struct Guess: Sendable, Equatable {
        /// The encoding's usual name, as feedparser and browsers report it.
        public var name: String
        public var score: Double
    }

    /// Below this score no candidate is believed, and the caller keeps its default
    /// (UTF-8 with windows-1252 repair).
    static let minimumScore = 0.45
    /// How many bytes are decoded for scoring; enough text for any verdict.
    static let sampleBytes = 64 * 1024

    /// The guessed encoding of undeclared, non-UTF-8 bytes; nil when the document declares its
    /// encoding, is UTF-8, or no candidate is convincing. windows-1252 competes too: when it
    /// wins, the answer is nil, since that is what the caller does anyway.
    public static func guess(undeclared data: Data) -> Guess? {
        guard InputEncoding.declared(in: data) == nil, !startsWithBOM(data), !InputEncoding.isValidUTF8(data) else { return nil }
        let ranked = rank(Array(data.prefix(sampleBytes)))
        guard let best = ranked.first, best.score >= minimumScore, best.name != "windows-1252" else { return nil }
        // libxml2 stops at the first byte the encoding does not define, which would lose the rest
        // of the feed: the guess must read the whole document, not only the sample.
        if data.count > sampleBytes, StrictDecoding.invalidSequences(in: data, encoding: best.name) != 0 { return nil }
        return best
    }

    /// Every candidate iconv knows that decodes the bytes without an undefined sequence, best first.
    static func rank(_ bytes: [UInt8]) -> [Guess] {
        candidates.compactMap { candidate -> Guess? in
            guard let decoded = StrictDecoding.decode(bytes, from: candidate.name), decoded.invalid == 0 else { return nil }
            return Guess(name: candidate.name, score: score(decoded.text, model: candidate.model))
        }.sorted { $0.score > $1.score }
    }

    static func startsWithBOM(_ data: Data) -> Bool {
        data.starts(with: [0xEF, 0xBB, 0xBF]) || InputEncoding.hasWideBOM(data)
    }

    // MARK: - Scoring

    /// The mean weight of the text's non-ASCII characters (ASCII reads the same in every
    /// candidate and says nothing).
    static func score(_ text: String, model: LanguageModel) -> Double {
        var total = 0.0
        var count = 0
        var (earlier, previous): (Unicode.Scalar, Unicode.Scalar) = (" ", " ")
        for scalar in text.unicodeScalars {
            defer { (earlier, previous) = (previous, scalar) }
            guard scalar.value >= 0x80 else {
                // A Latin letter right after a letter of the model's own alphabet: mixed-script
                // words do not occur; Latin-1 text read as Cyrillic/Hebrew/Thai produces them.
                if model.isAlphabetic, isASCIILetter(scalar), model.isOwnLetter(previous) { total -= 1 }
                continue
            }
            count += 1
            total += model.weight(scalar, after: previous, earlier)
        }
        // A handful of characters is no evidence either way.
        guard count >= 4 else { return 0 }
        return total / Double(count)
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value)
    }

    private static let candidates: [(name: String, model: LanguageModel)] = [
        ("Shift_JIS", .japanese), ("EUC-JP", .japanese), ("GB2312", .simplifiedChinese), ("Big5", .traditionalChinese),
        ("EUC-KR", .korean), ("windows-1251", .russian), ("KOI8-R", .russian), ("windows-1255", .hebrew),
        ("TIS-620", .thai), ("windows-1252", .western),
    ]
}

/// What text in one language looks like, character by character: its common characters, its
/// script, and the orderings its script forbids. The lists are short and hand-written: the most
/// frequent characters of everyday news text, not a statistical table.
struct LanguageModel: Sendable {
    enum Script: Sendable { case han, japanese, hangul, cyrillic, hebrew, thai, latin }

    let script: Script
    let common: Set<Unicode.Scalar>

    var isAlphabetic: Bool { script == .cyrillic || script == .hebrew || script == .thai }

    func isOwnLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch script {
        case .cyrillic: (0x0400...0x04FF).contains(scalar.value)
        case .hebrew: (0x05D0...0x05EA).contains(scalar.value)
        case .thai: (0x0E01...0x0E2E).contains(scalar.value)
        default: false
        }
    }

    /// 1 for a common character of the language, less for a rarer one of its script, 0.5 for
    /// punctuation every text has, negative for what text in this language does not contain.
    func weight(_ scalar: Unicode.Scalar, after previous: Unicode.Scalar, _ earlier: Unicode.Scalar) -> Double {
        let value = scalar.value
        if (0x80...0x9F).contains(value) || (0xE000...0xF8FF).contains(value) || value == 0xFFFD { return -2 }
        if breaksOrder(scalar, after: previous, earlier) { return -1 }
        if common.contains(scalar) { return 1 }
        if Self.isSharedPunctuation(value) { return 0.5 }
        let isCJKPunctuation = (0x3000...0x303F).contains(value) || (0xFF01...0xFF5E).contains(value)
        switch script {
        case .han:
            if (0x4E00...0x9FFF).contains(value) { return 0.2 }
            if isCJKPunctuation { return 0.5 }
        case .japanese:
            if (0x3041...0x30FF).contains(value) { return 1 }
            if (0x4E00...0x9FFF).contains(value) { return 0.2 }
            if isCJKPunctuation { return 0.5 }
        case .hangul:
            if (0xAC00...0xD7A3).contains(value) { return 0.2 }
            if (0x4E00...0x9FFF).contains(value) { return 0 }
            if isCJKPunctuation { return 0.5 }
        case .cyrillic:
            if (0x0410...0x042F).contains(value) { return common.contains(Unicode.Scalar(value + 0x20)!) ? 1 : 0.3 }
            if (0x0430...0x0451).contains(value) || value == 0x0401 { return 0.3 }
        case .hebrew:
            if (0x05D0...0x05EA).contains(value) || (0x05B0...0x05C7).contains(value) { return 0.3 }
        case .thai:
            // Yamakkan, fongman, angkhankhu, khomut and the baht sign are rare in news text.
            if [0x0E3F, 0x0E4E, 0x0E4F, 0x0E5A, 0x0E5B].contains(value) { return -0.5 }
            if (0x0E01...0x0E59).contains(value) { return 0.3 }
        case .latin:
            if Self.isLatin1Letter(value) { return 0.3 }
        }
        return -0.5
    }

    /// Orderings the script does not allow, which a wrong decoding produces all the time.
    private func breaksOrder(_ scalar: Unicode.Scalar, after previous: Unicode.Scalar, _ earlier: Unicode.Scalar) -> Bool {
        let value = scalar.value
        switch script {
        case .cyrillic:
            // Capitals start words or fill them: one right after a small letter, or a small
            // letter after two capitals, is another alphabet read as Cyrillic (KOI8-R and
            // windows-1251 also swap the cases).
            func isCapital(_ value: UInt32) -> Bool { (0x0410...0x042F).contains(value) || value == 0x0401 }
            func isSmall(_ value: UInt32) -> Bool { (0x0430...0x044F).contains(value) || value == 0x0451 }
            return (isCapital(value) && isSmall(previous.value)) || (isSmall(value) && isCapital(previous.value) && isCapital(earlier.value))
        case .hebrew:
            // Final forms (ך ם ן ף ץ) end words: one followed by a letter is no Hebrew.
            return (0x05D0...0x05EA).contains(value) && [0x05DA, 0x05DD, 0x05DF, 0x05E3, 0x05E5].contains(previous.value)
        case .thai:
            // Vowel signs and tone marks sit on a consonant or another sign, never outside Thai;
            // a leading vowel (เ แ โ ใ ไ) is followed by a consonant; tone marks do not stack.
            let isMark = value == 0x0E31 || (0x0E34...0x0E3A).contains(value) || (0x0E47...0x0E4E).contains(value)
            let isToneMark = (0x0E48...0x0E4C).contains(value)
            // Thai digits stand apart from words.
            let isDigit = (0x0E50...0x0E59).contains(value), previousIsDigit = (0x0E50...0x0E59).contains(previous.value)
            let isLetter = (0x0E01...0x0E4E).contains(value), previousIsLetter = (0x0E01...0x0E4E).contains(previous.value)
            return (isMark && !(0x0E01...0x0E4E).contains(previous.value))
                || (isDigit && previousIsLetter) || (isLetter && previousIsDigit)
                || ((0x0E40...0x0E44).contains(previous.value) && !(0x0E01...0x0E2E).contains(value))
                || (isToneMark && (0x0E48...0x0E4C).contains(previous.value))
        case .latin:
            // Western text has an accented letter here and there between plain ones; whole words
            // of them are another alphabet read as Latin-1.
            return Self.isLatin1Letter(value) && Self.isLatin1Letter(previous.value)
        case .han, .japanese, .hangul:
            return false
        }
    }

    private static func isLatin1Letter(_ value: UInt32) -> Bool {
        (0xC0...0xFF).contains(value) && value != 0xD7 && value != 0xF7
    }

    private static func isSharedPunctuation(_ value: UInt32) -> Bool {
        value == 0xA0 || value == 0xAB || value == 0xBB || value == 0xB7 || value == 0x2116
            || (0x2010...0x2027).contains(value) || (0x2030...0x203A).contains(value) || value == 0x20AC
    }

    private init(script: Script, common: String) {
        self.script = script
        self.common = Set(common.unicodeScalars.filter { $0 != " " && $0 != "\n" })
    }

    static let simplifiedChinese = LanguageModel(
        script: .han,
        common: """
            的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴善哥谈拉紧怕复画列移漫引称示增降府称警省局健康疫情报道记者消息表示今年昨日发布会议经济增长企业市场投资银行价格公司股票国家政府总统主席美国中国日本韩国俄罗斯欧洲
            """)

    static let traditionalChinese = LanguageModel(
        script: .han,
        common: """
            的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可她裡後小麼心多天而能好都然沒日於于起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者向情部正名定女問力機給等幾很業最間新什打便位因重被走電四第門相次東政海口使教西再平真聽世氣信北少關並內加化由卻代軍產入先山五太水萬市眼體別處總才場師書比住員九笑性通目華報立馬命張活難神數件安表原車白應路期叫死常提感金何更反合放做系計或司利受光王果親界及今京務制解各任至清物台臺象記邊共風戰干接它許八特覺望直服毛林題建南度統色字請交愛讓認算論百吃義科怎元社術結六功指思非流每青管夫連遠資隊跟帶花快條院變聯言權往展該領傳近留紅治決周保達辦運武半候七必城父強步完革深區即求品士轉量空甚眾技輕程告江語英基派滿式李息寫呢識極令黃德收臉錢黨倒未持取設始版雙歷越史商千片容研像找友孩站廣改議形委早房音火際則首單據導影失拿網香似斯專石若兵弟誰校讀志飛觀爭究包組造落視濟喜離雖壞興善哥談拉緊怕復希易翻助您謝總統府警察記者表示今年昨日發布會議經濟增長企業市場投資銀行價格公司股票國家政府美國中國日本韓國香港
            """)

    static let japanese = LanguageModel(
        script: .japanese,
        common: """
            日人年大十二一中本出三見月生五上四時行会後前子東分間来山長国学女事社方自外小言気場手地金高下水新何円今同私目入名部明意話思家知実通者物合発市体作用業回定言経問題政府首相議員党選挙警察事件東京大阪都県内外関係調査情報記者発表予定開始終了機能対応動画面表示確認最近今日本当仕事世界経済会社株価円高安全
            """)

    static let korean = LanguageModel(
        script: .hangul,
        common: """
            이의다는에가을하고지서로기사한리도를어자시니대인수정아나해구일장보전라주부들게제면상스우성동만소요적있으것거여과경까그국내되된원위세신와안무문연오영유조중화간공개관결미방비생선실야양업용운음입저종진치통트티회후했합할및등더때또말모못물발본분불새습씨알않없엔였왜외울월은임작잘재점좋줄즈직질짜참처천체초최추출카커케코크키타터테토파판포프피함행현형호확히한국서울정부대통령경찰기자발표뉴스시장경제회사
            """)

    static let russian = LanguageModel(script: .cyrillic, common: "оеаинтсрвл")
    static let hebrew = LanguageModel(script: .hebrew, common: "יוהלמארבתנש")
    static let thai = LanguageModel(script: .thai, common: "านรองกมเยว่ลดทตสีั้ิขปบคแะไจหพ์ุูืใโ็ซผถศ")
    static let western = LanguageModel(script: .latin, common: "éèàçâêôûîïëüöäßñóíúáãõ")
}
