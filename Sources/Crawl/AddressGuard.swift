import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One IPv4 or IPv6 address, as bytes.
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    let bytes: [UInt8]

    init?(_ text: String) {
        let trimmed = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil }
        return ok ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }

    /// Loopback, private (RFC 1918, CGNAT, IPv6 ULA), link-local (including the cloud metadata
    /// address 169.254.169.254), multicast, unspecified and reserved ranges: never a publisher.
    var isInternal: Bool {
        if bytes.count == 4 { return Self.isInternalV4(bytes) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return Self.isInternalV4(Array(bytes[12..<16]))  // IPv4-mapped
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
        if bytes[0] & 0xfe == 0xfc { return true }  // fc00::/7 unique local
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return true }  // fe80::/10 link-local
        if bytes[0] == 0xff { return true }  // multicast
        return false
    }

    private static func isInternalV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): true
        case (100, 64...127): true
        case (169, 254): true
        case (172, 16...31): true
        case (192, 168): true
        case (224...255, _): true
        default: false
        }
    }
}

/// The SSRF guard. Every request, redirects included, goes to an address this guard approved:
/// the host name is resolved once, each address is checked, and the HTTP client is then told
/// to connect to that very address (AsyncHTTPClient's `dnsOverride`, which still sends the
/// host name for TLS SNI and checks the certificate against it). A DNS answer that changes
/// between the check and the connection (DNS rebinding) therefore cannot steer a request to an
/// internal address: the client never resolves the name again (and each host is resolved
/// once per crawl). Through an HTTP(S) proxy the proxy resolves names, so only addresses
/// written in URLs can be checked.
public struct AddressGuard: Sendable {
    /// When true, internal addresses are allowed (the config's `allow-private-networks: true`).
    public var allowPrivateNetworks: Bool
    /// Internal addresses allowed even when the guard is on, written as IP literals.
    public var exceptions: Set<String>

    public init(allowPrivateNetworks: Bool, exceptions: Set<String> = []) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.exceptions = exceptions
    }

    /// The address to connect to for `host`: the first address it resolves to, provided every
    /// address it resolves to is allowed (a name that also points inside is refused outright).
    func address(for host: String) async throws(FetchError) -> IPAddress {
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            addresses = await Self.resolve(host)
        }
        guard let first = addresses.first else { throw .transport("cannot resolve \(host)") }
        if !allowPrivateNetworks {
            let exempt = Set(exceptions.compactMap { IPAddress($0) })
            if let inside = addresses.first(where: { $0.isInternal && !exempt.contains($0) }) {
                throw .forbiddenAddress(host: host, address: inside.description)
            }
        }
        return first
    }

    /// getaddrinfo blocks, so it runs on a dispatch thread rather than on a Swift concurrency one.
    private static func resolve(_ host: String) async -> [IPAddress] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var list: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &list) == 0, let list else {
                    continuation.resume(returning: [])
                    return
                }
                defer { freeaddrinfo(list) }
                var addresses: [IPAddress] = []
                var cursor: UnsafeMutablePointer<addrinfo>? = list
                while let entry = cursor {
                    if let address = entry.pointee.ai_addr {
                        switch Int32(address.pointee.sa_family) {
                        case AF_INET:
                            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                                var raw = v4.pointee.sin_addr
                                addresses.append(IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) }))
                            }
                        case AF_INET6:
                            address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                                var raw = v6.pointee.sin6_addr
                                addresses.append(IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) }))
                            }
                        default: break
                        }
                    }
                    cursor = entry.pointee.ai_next
                }
                var seen: Set<IPAddress> = []
                continuation.resume(returning: addresses.filter { seen.insert($0).inserted })
            }
        }
    }
}
