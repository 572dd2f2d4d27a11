import Foundation
import Hummingbird
import NodeAgent
import PodAPI

/// The routes of the status socket. Bodies are JSON with the Kubernetes API's field names,
/// keys sorted; errors are Kubernetes `Status` objects (``APIStatus``).
///
/// | route | answer |
/// |---|---|
/// | `GET /healthz` | ``AgentHealth``; 200 when its status is `ok`, else 503 |
/// | `GET /v1/pods` | a `PodList` |
/// | `GET /v1/pods/{namespace}/{name}` | a `Pod`; 404 `pods "name" not found` |
/// | `GET /v1/pods/{namespace}/{name}/updates` | `{"items":[InPlaceUpdate]}`, oldest first; 404 as above |
/// | `GET /v1/events?namespace=&name=` | an `EventList`, filtered by the query when given |
/// | `GET /metrics` | Prometheus text, `text/plain; version=0.0.4; charset=utf-8` |
/// | anything else | 404 `Status` |
public enum StatusRoutes {
    /// The content type of `GET /metrics`.
    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A router serving `provider` on the routes above.
    public static func router(provider: any PodStatusProvider) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        // Middleware first: Hummingbird applies it to the routes added after it.
        router.middlewares.add(StatusObjectMiddleware<BasicRequestContext>())

        router.get("/healthz") { _, _ -> Response in
            let health = await provider.health()
            return try json(health, status: health.status == "ok" ? .ok : .serviceUnavailable)
        }
        // Pods are encoded once and served again while unchanged (PodBodyCache).
        let bodies = PodBodyCache()
        router.get("/v1/pods") { _, _ -> Response in
            jsonResponse(try bodies.list(await provider.listPods()))
        }
        router.get("/v1/pods/:namespace/:name") { _, context -> Response in
            let namespace = try context.parameters.require("namespace")
            let name = try context.parameters.require("name")
            guard let pod = await provider.getPod(namespace: namespace, name: name) else {
                bodies.forget(namespace: namespace, name: name)
                return try statusResponse(.podNotFound(name))
            }
            return jsonResponse(try bodies.body(of: pod))
        }
        router.get("/v1/pods/:namespace/:name/updates") { _, context -> Response in
            let namespace = try context.parameters.require("namespace")
            let name = try context.parameters.require("name")
            guard let updates = await provider.updateHistory(namespace: namespace, name: name) else {
                return try statusResponse(.podNotFound(name))
            }
            return try json(InPlaceUpdateList(items: updates))
        }
        router.get("/v1/events") { request, _ -> Response in
            let query = request.uri.queryParameters
            let namespace = query.get("namespace").flatMap { $0.isEmpty ? nil : $0 }
            let name = query.get("name").flatMap { $0.isEmpty ? nil : $0 }
            return try json(EventList(items: await provider.events(namespace: namespace, name: name)))
        }
        router.get("/metrics") { _, _ -> Response in
            let text = await provider.metricsText()
            return Response(
                status: .ok, headers: [.contentType: metricsContentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    /// The encoder of every JSON body: sorted keys, slashes unescaped.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        jsonResponse(ByteBuffer(bytes: try encoder().encode(value)), status: status)
    }

    /// A response whose body is `body`, JSON already encoded.
    static func jsonResponse(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }

    static func statusResponse(_ status: APIStatus) throws -> Response {
        try json(status, status: HTTPResponse.Status(code: status.code))
    }
}
