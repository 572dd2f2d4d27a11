/// An image reference normalized as containerd's `reference.ParseDockerRef` does it:
/// `nginx` → `docker.io/library/nginx:latest`, `user/app:1` → `docker.io/user/app:1`,
/// `localhost:5000/app:1.0` unchanged, `repo@sha256:<hex>` kept by digest (a tag given together
/// with a digest is dropped, as ParseDockerRef drops it).
///
/// Deliberately self-contained (this module does not depend on PodAPI).
struct ImageName: Hashable, Sendable {
    /// `domain/path`, e.g. `docker.io/library/nginx`.
    var repository: String
    /// The tag; nil when the reference is by digest.
    var tag: String?
    /// `algorithm:hex`, e.g. `sha256:...`; nil when the reference is by tag.
    var digest: String?

    /// The normalized reference: `repository:tag` or `repository@digest`.
    var string: String {
        if let digest { return repository + "@" + digest }
        return repository + ":" + (tag ?? "latest")
    }

    /// Parses and normalizes `reference`; nil when it is not a valid image reference
    /// (empty, upper-case path, bad tag or digest, a bare 64-hex identifier, ...).
    static func parse(_ reference: String) -> ImageName? {
        guard !reference.isEmpty, reference.utf8.count <= 512 else { return nil }
        if isHexIdentifier(Substring(reference)) { return nil }  // docker refuses 64-hex names
        var rest = Substring(reference)

        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            let d = rest[rest.index(after: at)...]
            guard isDigest(d) else { return nil }
            digest = String(d)
            rest = rest[..<at]
        }

        var tag: String?
        let nameStart = rest.lastIndex(of: "/").map { rest.index(after: $0) } ?? rest.startIndex
        if let colon = rest[nameStart...].lastIndex(of: ":") {
            let t = rest[rest.index(after: colon)...]
            guard isTag(t) else { return nil }
            tag = String(t)
            rest = rest[..<colon]
        }

        var domain = "docker.io"
        var path = rest
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                guard isDomain(first) else { return nil }
                domain = String(first)
                path = rest[rest.index(after: slash)...]
            }
        }
        if domain == "index.docker.io" { domain = "docker.io" }
        var fullPath = String(path)
        if domain == "docker.io" && !fullPath.contains("/") { fullPath = "library/" + fullPath }
        guard !fullPath.isEmpty, fullPath.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(isPathComponent)
        else { return nil }
        let repository = domain + "/" + fullPath
        guard repository.utf8.count <= 255 else { return nil }
        return ImageName(repository: repository, tag: digest == nil ? (tag ?? "latest") : nil, digest: digest)
    }

    /// Whether `s` is `algorithm:hex` (OCI digest grammar, hex of at least 32 characters;
    /// exactly 64 lowercase for sha256).
    static func isDigest<S: StringProtocol>(_ s: S) -> Bool {
        guard let colon = s.firstIndex(of: ":") else { return false }
        let algorithm = s[..<colon]
        let encoded = s[s.index(after: colon)...]
        guard !algorithm.isEmpty, algorithm.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "+._-".contains($0)) }),
            encoded.count >= 32, encoded.allSatisfy({ $0.isHexDigit && $0.isASCII })
        else { return false }
        if algorithm == "sha256" { return encoded.count == 64 && encoded.allSatisfy { !$0.isUppercase } }
        return true
    }

    /// Whether `s` is exactly 64 lowercase hex characters (a bare image or object ID).
    static func isHexIdentifier(_ s: Substring) -> Bool {
        s.utf8.count == 64 && s.allSatisfy { $0.isASCII && $0.isHexDigit && !$0.isUppercase }
    }

    private static func isTag(_ s: Substring) -> Bool {
        guard let first = s.first, s.count <= 128, isWord(first) else { return false }
        return s.dropFirst().allSatisfy { isWord($0) || $0 == "." || $0 == "-" }
    }

    private static func isWord(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

    /// `host[:port]`, host made of `[A-Za-z0-9-]` labels separated by dots, or a bracketed IPv6.
    private static func isDomain(_ s: Substring) -> Bool {
        var host = s
        if let colon = s.lastIndex(of: ":"), !s.hasPrefix("[") || s[..<colon].hasSuffix("]") {
            let port = s[s.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            host = s[..<colon]
        }
        if host.hasPrefix("[") { return host.hasSuffix("]") && host.count > 2 }
        return !host.isEmpty
            && host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                !label.isEmpty && label.first != "-" && label.last != "-"
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }

    /// `[a-z0-9]+` runs joined by `.`, `_`, `__` or runs of `-`.
    private static func isPathComponent(_ s: Substring) -> Bool {
        guard let first = s.first, let last = s.last, isAlnum(first), isAlnum(last) else { return false }
        var separator = ""
        for c in s {
            if isAlnum(c) {
                guard
                    separator.isEmpty || separator == "." || separator == "_" || separator == "__"
                        || separator.allSatisfy({ $0 == "-" })
                else { return false }
                separator = ""
            } else if c == "." || c == "_" || c == "-" {
                separator.append(c)
            } else {
                return false
            }
        }
        return true
    }

    private static func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
}
