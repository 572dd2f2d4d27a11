import APIRegistry
import APIServer
import Foundation
import PodAPI
import SQLiteStore

/// An API handler on a fresh SQLite store in a temp dir, with an admin and two node tokens.
struct TestAPI {
    let dir: String
    let store: SQLiteKeyValueStore
    let registry: ObjectRegistry
    let handler: APIHandler

    static let tokens = """
        # token,user,uid,groups
        admin-token,admin,1,"system:masters"
        node1-token,system:node:node-1,2,"system:nodes"
        node2-token,system:node:node-2,3,"system:nodes"
        """

    init(retainedChanges: Int64 = 100_000) throws {
        dir = NSTemporaryDirectory() + "apiserver-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = try SQLiteKeyValueStore(path: dir + "/c.sqlite", retainedChanges: retainedChanges)
        registry = ObjectRegistry(store: store)
        handler = APIHandler(
            registry: registry, authenticator: try TokenAuthenticator(text: Self.tokens, path: "tokens.csv"), bookmarkSeconds: 1)
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    /// Calls the API; `body` is JSON text.
    func call(
        _ method: String, _ path: String, query: [String: String] = [:], token: String? = "admin-token",
        contentType: String = "application/json",
        body: String = ""
    ) async -> (code: Int, body: JSONValue) {
        let request = APIRequest(
            method: method, path: path, query: query, authorization: token.map { "Bearer \($0)" }, contentType: contentType,
            body: Array(body.utf8))
        switch await handler.handle(request) {
        case .object(let code, let object): return (code, object)
        case .watch: return (0, .null)
        }
    }

    /// Opens a watch and returns its events stream.
    func watch(_ path: String, query: [String: String], token: String = "admin-token") async -> AsyncStream<WatchEvent>? {
        var q = query
        q["watch"] = "true"
        let request = APIRequest(method: "GET", path: path, query: q, authorization: "Bearer \(token)")
        if case .watch(let events, _, _, _, _) = await handler.handle(request) { return events }
        return nil
    }

    static func pod(_ name: String, node: String? = nil, image: String = "nginx:1.25") -> String {
        let nodeName = node.map { #","nodeName":"\#($0)""# } ?? ""
        return
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"\#(image)"}]\#(nodeName)}}"#
    }
}
