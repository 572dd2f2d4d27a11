import Foundation
import PodAPI

/// Where and how `inplacectl --server` reaches an API server: the URL, the bearer token and the
/// CA that verifies an https server. Read from flags, else from `$INPLACED_SERVER`: a URL, or the
/// path of a kubeconfig-like YAML file (`server`, `token` or `tokenFile`, `certificateAuthority`;
/// a real kubeconfig's first cluster's `server` and `certificate-authority` and first user's
/// `token` / `tokenFile` are read too).
public struct ServerConfig: Sendable, Equatable {
    public var url: String
    public var token: String?
    public var caFile: String?

    public init(url: String, token: String? = nil, caFile: String? = nil) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.token = token
        self.caFile = caFile
    }

    /// The configuration the flags and environment give, nil when neither names a server.
    /// - Throws: ``ServerConfigError`` naming the file or value that cannot be used.
    public static func resolve(
        server: String?, token: String?, tokenFile: String?, caFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServerConfig? {
        var config: ServerConfig?
        if let server {
            config = ServerConfig(url: server)
        } else if let env = environment["INPLACED_SERVER"], !env.isEmpty {
            config = env.contains("://") ? ServerConfig(url: env) : try load(file: env)
        }
        guard var config else { return nil }
        if let token { config.token = token }
        if let tokenFile { config.token = try readToken(tokenFile) }
        if let caFile { config.caFile = caFile }
        guard config.url.hasPrefix("http://") || config.url.hasPrefix("https://") else {
            throw ServerConfigError(message: "server \(config.url): must start with http:// or https://")
        }
        return config
    }

    static func readToken(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServerConfigError(message: "token file \(path): cannot be read")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if token.isEmpty { throw ServerConfigError(message: "token file \(path): empty") }
        return token
    }

    /// Reads a kubeconfig-like file.
    static func load(file path: String) throws -> ServerConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServerConfigError(message: "INPLACED_SERVER \(path): neither a URL nor a readable file")
        }
        let parsed = YAMLManifestParser.parse(text)
        guard let doc = parsed.documents.first ?? nil, parsed.failure == nil else {
            throw ServerConfigError(message: "\(path): not YAML: \(parsed.failure.map { "\($0)" } ?? "empty")")
        }
        let cluster = doc.array("clusters").first?["cluster"]
        let user = doc.array("users").first?["user"]
        guard let url = doc.string("server") ?? cluster?.string("server") else {
            throw ServerConfigError(message: "\(path): no server")
        }
        var config = ServerConfig(url: url, caFile: doc.string("certificateAuthority") ?? cluster?.string("certificate-authority"))
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func relative(_ p: String) -> String { p.hasPrefix("/") ? p : base + "/" + p }
        config.caFile = config.caFile.map(relative)
        if let token = doc.string("token") ?? user?.string("token") {
            config.token = token
        } else if let file = doc.string("tokenFile") ?? user?.string("tokenFile") {
            config.token = try readToken(relative(file))
        }
        return config
    }
}

/// A server configuration that cannot be used; the message names the flag, file or value.
public struct ServerConfigError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
