/// A container image reference parsed and normalized as kubelet does it (docker distribution's
/// `ParseNormalizedNamed`): `registry[:port]/path[:tag][@algorithm:hex]`.
///
/// Normalization: a first path component is a registry only if it holds `.` or `:`, is
/// `localhost`, or has an uppercase letter; otherwise the registry is `docker.io`, and a
/// single-component path on docker.io gets the `library/` prefix; `index.docker.io` becomes
/// `docker.io`. So `nginx` is `docker.io/library/nginx`, `user/app` is `docker.io/user/app`, and
/// `localhost:5000/app:1.0` has registry `localhost:5000`, repository `app`, tag `1.0`.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The string as given.
    public let original: String
    /// Registry host with its port when given: `docker.io`, `localhost:5000`, `[::1]:5000`.
    public let registry: String
    /// Repository path within the registry: `library/nginx`, `app`.
    public let repository: String
    /// The tag when one was written (`1.36`), else nil.
    public let tag: String?
    /// The digest when one was written (`sha256:<64 hex>`), else nil.
    public let digest: String?

    /// `registry/repository`, e.g. `docker.io/library/nginx` (distribution's `Name()`).
    public var name: String { registry + "/" + repository }

    /// The tag kubelet uses: the written tag, else `latest` when there is no digest either.
    public var effectiveTag: String? { tag ?? (digest == nil ? "latest" : nil) }

    /// The fully qualified form: `docker.io/library/nginx:latest`,
    /// `docker.io/library/busybox@sha256:...`, `localhost:5000/app:1.0`.
    public var normalized: String {
        var s = name
        if let t = effectiveTag { s += ":" + t }
        if let d = digest { s += "@" + d }
        return s
    }

    /// True when the tag is `latest` or implied (no tag and no digest): the case in which the
    /// API server defaults `imagePullPolicy` to `Always` (SetDefaults_Container).
    public var isLatestOrUntagged: Bool { effectiveTag == "latest" }

    /// The `imagePullPolicy` the API server defaults to for this image: `Always` for a latest or
    /// absent tag, else `IfNotPresent`.
    public var defaultPullPolicy: String { isLatestOrUntagged ? "Always" : "IfNotPresent" }

    public var description: String { normalized }

    static let defaultRegistry = "docker.io"
    static let legacyRegistry = "index.docker.io"
    static let nameTotalLengthMax = 255

    /// Parses `s` with the distribution reference grammar:
    /// path components `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`, tag `[\w][\w.-]{0,127}`, digest
    /// `algorithm:hex` with at least 32 hex digits (exactly 64 for sha256, 96 for sha384, 128 for
    /// sha512), name at most 255 characters.
    ///
    /// - Throws: `ImageReferenceError`: `invalid reference format` (spaces, bad characters, a bad
    ///   tag), `invalid reference format: repository name (<path>) must be lowercase`,
    ///   `invalid repository name (<hex>), cannot specify 64-byte hexadecimal strings`,
    ///   `repository name must not be more than 255 characters`, `invalid checksum digest length`,
    ///   `unsupported digest algorithm`.
    public static func parse(_ s: String) throws -> ImageReference {
        let u = Array(s.utf8)
        if u.count == 64 && u.allSatisfy(isLowerHex) {
            throw ImageReferenceError("invalid repository name (\(s)), cannot specify 64-byte hexadecimal strings")
        }
        let (registry, remainder) = splitRegistry(s)
        let remoteName = remainder.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? remainder
        if remoteName.lowercased() != remoteName {
            throw ImageReferenceError("invalid reference format: repository name (\(remoteName)) must be lowercase")
        }
        return try parseFull(original: s, registry: registry, remainder: remainder)
    }

    /// distribution's `splitDockerDomain`.
    static func splitRegistry(_ s: String) -> (String, String) {
        var registry: String
        var remainder: String
        if let slash = s.firstIndex(of: "/") {
            let first = String(s[..<slash])
            if !first.contains(".") && !first.contains(":") && first != "localhost" && first.lowercased() == first {
                registry = defaultRegistry
                remainder = s
            } else {
                registry = first
                remainder = String(s[s.index(after: slash)...])
            }
        } else {
            registry = defaultRegistry
            remainder = s
        }
        if registry == legacyRegistry { registry = defaultRegistry }
        if registry == defaultRegistry && !remainder.contains("/") { remainder = "library/" + remainder }
        return (registry, remainder)
    }

    private static func parseFull(original: String, registry: String, remainder: String) throws -> ImageReference {
        let formatError = ImageReferenceError("invalid reference format")
        var rest = Substring(remainder)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        let path = String(rest)
        guard isValidRegistry(registry) else { throw formatError }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty, components.allSatisfy({ isPathComponent(Array($0.utf8)) }) else {
            if isValidRegistry(registry.lowercased()),
                path.lowercased().split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ isPathComponent(Array($0.utf8)) })
            {
                throw ImageReferenceError("invalid reference format: repository name must be lowercase")
            }
            throw formatError
        }
        if let t = tag, !isTag(Array(t.utf8)) { throw formatError }
        if let d = digest { try validateDigest(d) }
        if registry.count + 1 + path.count > nameTotalLengthMax {
            throw ImageReferenceError("repository name must not be more than \(nameTotalLengthMax) characters")
        }
        return ImageReference(original: original, registry: registry, repository: path, tag: tag, digest: digest)
    }

    private static func validateDigest(_ d: String) throws {
        let parts = d.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw ImageReferenceError("invalid reference format") }
        let algorithm = String(parts[0])
        let hex = Array(parts[1].utf8)
        let algParts = algorithm.split(omittingEmptySubsequences: false) { "-_+.".contains($0) }
        guard !algParts.isEmpty,
            algParts.allSatisfy({ comp in
                guard let f = comp.first, f.isASCII, f.isLetter else { return false }
                return comp.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            }), hex.count >= 32, hex.allSatisfy(isHex)
        else {
            throw ImageReferenceError("invalid reference format")
        }
        let lengths = ["sha256": 64, "sha384": 96, "sha512": 128]
        guard let want = lengths[algorithm] else { throw ImageReferenceError("unsupported digest algorithm") }
        guard hex.count == want else { throw ImageReferenceError("invalid checksum digest length") }
        guard hex.allSatisfy(isLowerHex) else { throw ImageReferenceError("invalid checksum digest format") }
    }

    // MARK: Grammar pieces

    private static func isLowerHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
    }
    private static func isHex(_ c: UInt8) -> Bool { isLowerHex(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F")) }
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isLowerAlnum(_ c: UInt8) -> Bool { isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) }
    private static func isAlnum(_ c: UInt8) -> Bool { isLowerAlnum(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) }
    private static func isWord(_ c: UInt8) -> Bool { isAlnum(c) || c == UInt8(ascii: "_") }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
    static func isPathComponent(_ b: [UInt8]) -> Bool {
        var i = 0
        func alnumRun() -> Bool {
            let start = i
            while i < b.count, isLowerAlnum(b[i]) { i += 1 }
            return i > start
        }
        guard alnumRun() else { return false }
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: ".") {
                i += 1
            } else if c == UInt8(ascii: "_") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "_") { i += 1 }
            } else if c == UInt8(ascii: "-") {
                while i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
            } else {
                return false
            }
            guard alnumRun() else { return false }
        }
        return true
    }

    /// `[\w][\w.-]{0,127}`
    static func isTag(_ b: [UInt8]) -> Bool {
        guard let f = b.first, isWord(f), b.count <= 128 else { return false }
        return b.allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `host[:port]` where host is a domain name (`[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?` labels
    /// joined by `.`), an IPv4 address (which that also matches) or a bracketed IPv6 address.
    static func isValidRegistry(_ r: String) -> Bool {
        var host = Substring(r)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let inside = host[host.index(after: host.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            let after = host[host.index(after: close)...]
            if after.isEmpty { return true }
            guard after.first == ":" else { return false }
            port = after.dropFirst()
            host = ""
        } else if let colon = host.firstIndex(of: ":") {
            port = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        if let p = port, p.isEmpty || !p.utf8.allSatisfy(isDigit) { return false }
        if host.isEmpty { return r.hasPrefix("[") }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let b = Array(label.utf8)
            guard let f = b.first, let l = b.last, isAlnum(f), isAlnum(l) else { return false }
            return b.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
        }
    }
}
