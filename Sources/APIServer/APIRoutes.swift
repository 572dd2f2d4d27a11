import APIRegistry
import Foundation
import Hummingbird
import KubeAPI
import PodAPI

/// The HTTP face of ``APIHandler``: every path and method goes to the handler; JSON bodies,
/// watches as `application/json` streams of one event per line (chunked).
public enum APIRoutes {
    public static func router(handler: APIHandler) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/metrics") { request, _ -> Response in
            do throws(APIError) {
                let text = try handler.metricsText(authorization: request.headers[.authorization])
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            } catch {
                return json(error.status, code: error.code)
            }
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("**", method: method) { request, _ -> Response in
                await respond(request, handler)
            }
        }
        return router
    }

    static func respond(_ request: Request, _ handler: APIHandler) async -> Response {
        var request = request
        var body: [UInt8] = []
        if request.method != .get {
            do {
                let buffer = try await request.collectBody(upTo: handler.maxBodyBytes)
                body = Array(buffer.readableBytesView)
            } catch {
                return json(APIError.tooLarge(limit: handler.maxBodyBytes).status, code: 413)
            }
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let apiRequest = APIRequest(
            method: request.method.rawValue, path: request.uri.path, query: query,
            authorization: request.headers[.authorization], contentType: request.headers[.contentType], body: body)
        switch await handler.handle(apiRequest) {
        case .object(let code, let object):
            return json(object, code: code)
        case .watch(let events, let kind, let apiVersion, let timeout, let bookmarks):
            let stream = WatchStream.merged(
                events, kind: kind, apiVersion: apiVersion, timeoutSeconds: timeout, bookmarkSeconds: bookmarks,
                open: handler.openWatches)
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache, private"],
                body: ResponseBody { writer in
                    for await event in stream {
                        try await writer.write(ByteBuffer(bytes: event.line()))
                    }
                    try await writer.finish(nil)
                })
        }
    }

    static func json(_ object: JSONValue, code: Int) -> Response {
        var bytes = object.jsonBytes()
        bytes.append(UInt8(ascii: "\n"))
        return Response(
            status: HTTPResponse.Status(code: code), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
