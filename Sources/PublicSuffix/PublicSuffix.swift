import CLibPSL

/// The public-suffix list, from libpsl: the newest of its built-in list and the system's
/// (Debian's `publicsuffix` package), so "bbc.co.uk" is a site but "co.uk" is not.
public enum PublicSuffix {
    /// The domain a registrant owns: "news.bbc.co.uk" → "bbc.co.uk"; nil when the host is
    /// itself a public suffix ("co.uk", "blogspot.com") or empty.
    public static func registrableDomain(_ host: String) -> String? {
        guard !host.isEmpty, let context = List.shared.context else { return nil }
        return host.withCString { pointer in
            psl_registrable_domain(context, pointer).map { String(cString: $0) }
        }
    }

    public static func isPublicSuffix(_ domain: String) -> Bool {
        guard let context = List.shared.context else { return false }
        return domain.withCString { psl_is_public_suffix(context, $0) != 0 }
    }

    /// libpsl's context is read-only once loaded and its lookups are thread-safe; it lives for
    /// the whole process, so it is never freed.
    private final class List: @unchecked Sendable {
        static let shared = List()
        let context: OpaquePointer?

        private init() {
            context = psl_latest(nil) ?? psl_builtin()
        }
    }
}
