import Foundation
import KubeAPI

/// Bearer tokens from a file in kube-apiserver's `--token-auth-file` format: one line per token,
/// `token,user,uid,"group1,group2"` (lines starting with `#` and blank lines skipped). An admin
/// is in group `system:masters`; a node is `system:node:<name>` in group `system:nodes`.
public struct TokenAuthenticator: Sendable {
    let users: [String: UserInfo]

    public init(users: [String: UserInfo]) { self.users = users }

    /// This authenticator with one more token (the process's own loopback client, as
    /// kube-apiserver gives its loopback client a token of its own).
    public func adding(token: String, user: UserInfo) -> TokenAuthenticator {
        var all = users
        all[token] = user
        return TokenAuthenticator(users: all)
    }

    /// Reads `path`.
    /// - Throws: `TokenFileError` naming the file and line of a malformed entry.
    public init(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TokenFileError(path: path, line: 0, reason: "cannot be read")
        }
        try self.init(text: text, path: path)
    }

    /// Parses the file's text (`path` is only for errors).
    public init(text: String, path: String) throws {
        var users: [String: UserInfo] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = Self.csv(line)
            guard fields.count >= 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw TokenFileError(path: path, line: index + 1, reason: "expected token,user,uid[,\"groups\"]")
            }
            let groups = fields.count > 3 ? fields[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
            users[fields[0]] = UserInfo(name: fields[1], uid: fields[2], groups: groups)
        }
        self.users = users
    }

    /// The user of an `Authorization` header value.
    /// - Throws: `APIError.unauthorized` for a missing, malformed or unknown token.
    public func authenticate(authorization: String?) throws(APIError) -> UserInfo {
        guard let authorization, authorization.hasPrefix("Bearer ") else { throw .unauthorized }
        let token = authorization.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let user = users[token] else { throw .unauthorized }
        return user
    }

    /// Splits one CSV line (double quotes group a field with commas).
    static func csv(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for c in line {
            if c == "\"" {
                quoted.toggle()
            } else if c == ",", !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
