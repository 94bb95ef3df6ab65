import Coverage
import Feeds
import Foundation
import Outlets
import Stories
import Yams

/// A problem in a config file, located so the user can go straight to it.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}

/// Everything a config file (and the files it includes) says.
public struct ParallaxConfig: Sendable {
    /// The config file's absolute path.
    public var path: String
    public var outlets: [Outlet]
    public var feeds: [FeedSource]
    /// The state database: an absolute SQLite path (`state:` or `.parallax/parallax.sqlite` beside the config), or a `postgresql://` URL.
    public var statePath: String
    /// Absolute path of the reports folder, when the config names one.
    public var reportsPath: String?
    public var allowPrivateNetworks: Bool
    /// `remote-images: false` keeps story pages free of pictures from the outlets' servers.
    public var remoteImages = true
    /// The `crawl:` section; nil values keep the crawler's defaults.
    public var crawl = CrawlOptions()
    public var clustering: ClusteringSettings
    public var blindspot: BlindspotRule
    /// How long stories are kept after they were last seen; nil keeps them forever (`retention: never`).
    public var retention: TimeInterval? = ParallaxConfig.defaultRetention

    public static let defaultRetention: TimeInterval = 90 * 86400
    /// Named extraction rule sets (`extraction-rules:`) from the config and its includes.
    public var extractionRules: [String: ExtractionRules] = [:]
    /// How outlets' bias and factuality follow from their ratings (`ratings:` in the config).
    public var ratingRule: RatingRule
}

extension ParallaxConfig {
    /// What a config file that sets nothing but its outlets and feeds says: every setting at its
    /// default. Also for configs built in code (`eval coverage`'s replay).
    public init(path: String, outlets: [Outlet], feeds: [FeedSource], statePath: String) {
        self.init(
            path: path, outlets: outlets, feeds: feeds, statePath: statePath, reportsPath: nil, allowPrivateNetworks: false,
            clustering: ClusteringSettings(), blindspot: BlindspotRule(), ratingRule: .mean)
    }
}

/// The config's `crawl:` section.
public struct CrawlOptions: Sendable, Equatable {
    public var concurrency: Int?
    public var perHost: Int?
    public var hostSpacingSeconds: Double?
    public var intervalMinutes: Double?
    public var timeoutSeconds: Double?
    /// How long a crawl worker on a server store holds the feeds it claims (`lease-seconds:`).
    public var leaseSeconds: Double?
    public var userAgent: String?
    /// PEM certificates of a private certificate authority to trust besides the system's
    /// (`ca-file:`, read when the config is loaded).
    public var trustedCertificates: [String] = []

    public init() {}
}

/// Reads `feeds/*.yaml` configs. Every value is checked, and every error names the file and line.
public enum ConfigLoader {
    public static func load(path: String) throws(ConfigError) -> ParallaxConfig {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var config = ParallaxConfig(
            path: url.path, outlets: [], feeds: [],
            statePath: url.deletingLastPathComponent().appendingPathComponent(".parallax/parallax.sqlite").path)
        var state = LoadState(config: config)
        try read(url, into: &state, isTopLevel: true)
        try resolveRuleNames(&state)
        state.config.extractionRules = state.ruleSets
        try validateReferences(state)
        for index in state.config.outlets.indices { state.config.outlets[index].rule = state.config.ratingRule }
        return state.config
    }

    private static let topLevelKeys: Set<String> = [
        "include", "state", "reports", "allow-private-networks", "remote-images", "retention", "crawl", "clustering", "blindspot", "ratings",
        "outlets", "feeds", "extraction-rules",
    ]

    private struct LoadState {
        var config: ParallaxConfig
        var visited: Set<String> = []
        /// Where each feed was written, to point at it if it names an unknown outlet.
        var feedLocations: [String: (file: String, line: Int?)] = [:]
        /// Named rule sets (`extraction-rules:`) from every file, and the feeds that name one.
        var ruleSets: [String: ExtractionRules] = [:]
        var pendingRuleNames: [String: (name: String, file: String, line: Int?)] = [:]
        /// The outlet ids read so far, to refuse one defined twice without a scan per outlet
        /// (a feed list of 50,000 outlets made that scan most of every command's start).
        var outletIDs: Set<String> = []
    }

    private static func read(_ url: URL, into state: inout LoadState, isTopLevel: Bool) throws(ConfigError) {
        let file = url.path
        guard state.visited.insert(file).inserted else {
            throw ConfigError(file: file, line: nil, message: "included more than once (an include cycle?)")
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: file)
            throw ConfigError(file: file, line: nil, message: exists ? "cannot read the file as UTF-8 text" : "no such file")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(file: file, line: nil, message: "the file is empty")
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw ConfigError(file: file, line: yamlErrorLine(error), message: "not valid YAML: \(yamlErrorSummary(error))")
        } catch {
            throw ConfigError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
        let reader = NodeReader(file: file)
        let top = try reader.mapping(root, what: "the config", allowed: topLevelKeys)
        let directory = url.deletingLastPathComponent()

        if let node = top["include"] {
            for item in try reader.sequence(node, what: "include") {
                let included = try reader.string(item, what: "include entry")
                try read(directory.appendingPathComponent(included).standardizedFileURL, into: &state, isTopLevel: false)
            }
        }
        if isTopLevel {
            try readSettings(top, reader: reader, directory: directory, into: &state.config)
        } else {
            for key in ["state", "reports", "allow-private-networks", "remote-images", "retention", "crawl", "clustering", "blindspot", "ratings"] where top[key] != nil {
                throw ConfigError(file: file, line: top[key]?.mark?.line, message: "'\(key)' may only be set in the top-level config, not in an included file")
            }
        }
        if let node = top["outlets"] {
            for item in try reader.sequence(node, what: "outlets") {
                let outlet = try OutletReader(reader: reader).outlet(item)
                guard state.outletIDs.insert(outlet.id).inserted else {
                    throw ConfigError(file: file, line: item.mark?.line, message: "outlet id '\(outlet.id)' is defined twice")
                }
                state.config.outlets.append(outlet)
            }
        }
        if let node = top["extraction-rules"] {
            for (key, value) in try reader.mapping(node, what: "extraction-rules", allowed: nil) {
                guard state.ruleSets[key] == nil else {
                    throw reader.error(value, "extraction rule set '\(key)' is defined twice")
                }
                state.ruleSets[key] = try extractionRules(value, reader: reader)
            }
        }
        if let node = top["feeds"] {
            for item in try reader.sequence(node, what: "feeds") {
                let (feed, ruleName) = try feedSource(item, reader: reader, directory: directory)
                if let ruleName { state.pendingRuleNames[feed.url] = (ruleName, file, item.mark?.line) }
                if state.feedLocations[feed.url] != nil {
                    throw ConfigError(file: file, line: item.mark?.line, message: "feed \(feed.url) is listed twice")
                }
                state.config.feeds.append(feed)
                state.feedLocations[feed.url] = (file, item.mark?.line)
            }
        }
    }

    private static func readSettings(_ top: [String: Node], reader: NodeReader, directory: URL, into config: inout ParallaxConfig) throws(ConfigError) {
        if let node = top["state"] {
            let state = try reader.string(node, what: "state")
            // A PostgreSQL URL is a location, not a path beside the config.
            let isURL = state.hasPrefix("postgresql://") || state.hasPrefix("postgres://")
            config.statePath = isURL ? state : resolvePath(state, relativeTo: directory)
        }
        if let node = top["reports"] {
            config.reportsPath = resolvePath(try reader.string(node, what: "reports"), relativeTo: directory)
        }
        if let node = top["allow-private-networks"] {
            config.allowPrivateNetworks = try reader.bool(node, what: "allow-private-networks")
        }
        if let node = top["remote-images"] {
            config.remoteImages = try reader.bool(node, what: "remote-images")
        }
        if let node = top["retention"] {
            let text = try reader.string(node, what: "retention")
            if text == "never" {
                config.retention = nil
            } else if let seconds = DurationText.seconds(text), seconds >= 86400 {
                config.retention = seconds
            } else {
                throw reader.error(node, "retention '\(text)' is not 'never' or a duration of at least a day, such as 90d")
            }
        }
        if let node = top["crawl"] {
            let map = try reader.mapping(
                node, what: "crawl", allowed: ["concurrency", "per-host", "host-spacing-seconds", "interval-minutes", "timeout-seconds", "lease-seconds", "user-agent", "ca-file"])
            if let value = map["concurrency"] { config.crawl.concurrency = Int(try reader.number(value, what: "crawl.concurrency", in: 1...256)) }
            if let value = map["per-host"] { config.crawl.perHost = Int(try reader.number(value, what: "crawl.per-host", in: 1...16)) }
            if let value = map["host-spacing-seconds"] {
                config.crawl.hostSpacingSeconds = try reader.number(value, what: "crawl.host-spacing-seconds", in: 0...60)
            }
            if let value = map["interval-minutes"] { config.crawl.intervalMinutes = try reader.number(value, what: "crawl.interval-minutes", in: 5...1440) }
            if let value = map["timeout-seconds"] { config.crawl.timeoutSeconds = try reader.number(value, what: "crawl.timeout-seconds", in: 1...300) }
            if let value = map["lease-seconds"] { config.crawl.leaseSeconds = try reader.number(value, what: "crawl.lease-seconds", in: 60...86400) }
            if let value = map["user-agent"] {
                let agent = try reader.string(value, what: "crawl.user-agent")
                guard !agent.isEmpty, !agent.contains(where: \.isNewline) else { throw reader.error(value, "'user-agent' must be one non-empty line") }
                config.crawl.userAgent = agent
            }
            if let value = map["ca-file"] {
                let path = resolvePath(try reader.string(value, what: "crawl.ca-file"), relativeTo: directory)
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw reader.error(value, "cannot read the ca-file \(path)")
                }
                guard text.contains("-----BEGIN CERTIFICATE-----") else {
                    throw reader.error(value, "the ca-file \(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
                }
                config.crawl.trustedCertificates.append(text)
            }
        }
        if let node = top["clustering"] {
            let map = try reader.mapping(node, what: "clustering", allowed: ["threshold", "window-hours", "title-weight"])
            if let value = map["threshold"] { config.clustering.threshold = try reader.number(value, what: "clustering.threshold", in: 0...1) }
            if let value = map["window-hours"] { config.clustering.windowHours = try reader.number(value, what: "clustering.window-hours", in: 1...24 * 60) }
            if let value = map["title-weight"] { config.clustering.titleWeight = try reader.number(value, what: "clustering.title-weight", in: 0...10) }
        }
        if let node = top["ratings"] {
            let map = try reader.mapping(node, what: "ratings", allowed: ["rule", "order"])
            let rule = try map["rule"].map { node throws(ConfigError) in try reader.string(node, what: "ratings.rule") } ?? "mean"
            switch rule {
            case "mean":
                if let order = map["order"] { throw reader.error(order, "ratings.order is only used with 'rule: priority'") }
                config.ratingRule = .mean
            case "priority":
                guard let orderNode = map["order"] else { throw reader.error(node, "'rule: priority' needs 'order: [rater, …]'") }
                var order: [String] = []
                for item in try reader.sequence(orderNode, what: "ratings.order") { order.append(try reader.string(item, what: "a rater name")) }
                guard !order.isEmpty else { throw reader.error(orderNode, "ratings.order names no rater") }
                config.ratingRule = .priority(order)
            default:
                throw reader.error(map["rule"]!, "unknown ratings.rule '\(rule)' (expected one of: mean, priority)")
            }
        }
        if let node = top["blindspot"] {
            let map = try reader.mapping(node, what: "blindspot", allowed: ["min-rated-outlets", "minority-max", "majority-min"])
            if let value = map["min-rated-outlets"] { config.blindspot.minimumRatedOutlets = Int(try reader.number(value, what: "blindspot.min-rated-outlets", in: 1...1000)) }
            if let value = map["minority-max"] { config.blindspot.minorityMaximumShare = try reader.number(value, what: "blindspot.minority-max", in: 0...1) }
            if let value = map["majority-min"] { config.blindspot.majorityMinimumShare = try reader.number(value, what: "blindspot.majority-min", in: 0...1) }
        }
    }

    /// A feed entry, and the name of the rule set it refers to (resolved once every file is read).
    private static func feedSource(_ node: Node, reader: NodeReader, directory: URL) throws(ConfigError) -> (FeedSource, String?) {
        let map = try reader.mapping(node, what: "a feed", allowed: ["url", "outlet", "kind", "title", "rules", "user-agent"])
        guard let urlNode = map["url"] else { throw reader.error(node, "a feed needs a 'url'") }
        let raw = try reader.string(urlNode, what: "url")
        let url: String
        if raw.hasPrefix("http://") || raw.hasPrefix("https://") || raw.hasPrefix("file://") {
            guard URL(string: raw)?.host != nil || raw.hasPrefix("file://") else {
                throw reader.error(urlNode, "'\(raw)' is not a valid URL")
            }
            url = raw
        } else if raw.contains("://") {
            throw reader.error(urlNode, "unsupported URL scheme in '\(raw)': use http, https, file or a path")
        } else {
            url = URL(fileURLWithPath: resolvePath(raw, relativeTo: directory)).absoluteString
        }
        var kind = FeedSource.Kind.feed
        if let kindNode = map["kind"] {
            let value = try reader.string(kindNode, what: "kind")
            guard let parsed = FeedSource.Kind(rawValue: value) else {
                throw reader.error(kindNode, "unknown feed kind '\(value)' (expected one of: \(FeedSource.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            kind = parsed
        }
        let outlet = try map["outlet"].map { node throws(ConfigError) in try reader.string(node, what: "outlet") }
        if kind == .feed && outlet == nil {
            throw reader.error(node, "feed \(raw) needs an 'outlet' (or 'kind: aggregator')")
        }
        let title = try map["title"].map { node throws(ConfigError) in try reader.string(node, what: "title") }
        let userAgent = try map["user-agent"].map { node throws(ConfigError) in try reader.string(node, what: "user-agent") }
        if let userAgent, userAgent.isEmpty || userAgent.contains(where: { $0.isNewline }) {
            throw reader.error(map["user-agent"]!, "'user-agent' must be one non-empty line")
        }
        var source = FeedSource(url: url, kind: kind, outletID: outlet, title: title, userAgent: userAgent)
        var ruleName: String?
        switch (kind, map["rules"]) {
        case (.htmlRules, nil):
            throw reader.error(node, "feed \(raw) has 'kind: html-rules' but no 'rules' (a rule set's name or a mapping)")
        case (.htmlRules, let rulesNode?):
            if case .scalar = rulesNode {
                ruleName = try reader.string(rulesNode, what: "rules")
            } else {
                source.rules = try extractionRules(rulesNode, reader: reader)
            }
        case (_, let rulesNode?):
            throw reader.error(rulesNode, "'rules' only applies to feeds with 'kind: html-rules'")
        case (_, nil):
            break
        }
        return (source, ruleName)
    }

    private static let ruleKeys: [(key: String, required: Bool)] = [
        ("item", true), ("title", true), ("link", true), ("outlet", false), ("outlet-link", false),
        ("time", false), ("summary", false), ("group", false),
    ]

    private static func extractionRules(_ node: Node, reader: NodeReader) throws(ConfigError) -> ExtractionRules {
        let map = try reader.mapping(node, what: "extraction rules", allowed: Set(ruleKeys.map(\.key)))
        var values: [String: String] = [:]
        for (key, required) in ruleKeys {
            guard let value = map[key] else {
                if required { throw reader.error(node, "extraction rules need '\(key)' (an XPath expression)") }
                continue
            }
            values[key] = try reader.string(value, what: key)
        }
        let rules = ExtractionRules(
            item: values["item"]!, title: values["title"]!, link: values["link"]!, outlet: values["outlet"],
            outletLink: values["outlet-link"], time: values["time"], summary: values["summary"], group: values["group"])
        do {
            try rules.validate()
        } catch {
            throw reader.error(node, "\(error)")
        }
        return rules
    }

    private static func resolveRuleNames(_ state: inout LoadState) throws(ConfigError) {
        for index in state.config.feeds.indices {
            guard let pending = state.pendingRuleNames[state.config.feeds[index].url] else { continue }
            guard let rules = state.ruleSets[pending.name] else {
                let known = state.ruleSets.keys.sorted().joined(separator: ", ")
                throw ConfigError(file: pending.file, line: pending.line, message: "feed \(state.config.feeds[index].url) names extraction rule set '\(pending.name)', which no 'extraction-rules' entry defines\(known.isEmpty ? "" : " (known: \(known))")")
            }
            state.config.feeds[index].rules = rules
        }
    }

    private static func validateReferences(_ state: LoadState) throws(ConfigError) {
        let ids = Set(state.config.outlets.map(\.id))
        for feed in state.config.feeds {
            if let outlet = feed.outletID, !ids.contains(outlet) {
                let location = state.feedLocations[feed.url]
                throw ConfigError(file: location?.file ?? state.config.path, line: location?.line, message: "feed \(feed.url) names outlet '\(outlet)', which no 'outlets' entry defines")
            }
        }
    }

    static func resolvePath(_ path: String, relativeTo directory: URL) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL.path }
        return directory.appendingPathComponent(expanded).standardizedFileURL.path
    }

    static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func yamlErrorSummary(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        default: "\(error)"
        }
    }
}
