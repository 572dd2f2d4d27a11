import Foundation
import Hummingbird
import NodeAgent
import PodAPI

/// Turns every error (an unknown route included) into a Kubernetes `Status` body.
struct StatusObjectMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let code = Int(error.status.code)
            let message: String
            switch code {
            case 404: message = "the server could not find the requested resource"
            case 405: message = "the server does not allow this method on the requested resource"
            default: message = error.body ?? error.status.reasonPhrase
            }
            return try StatusRoutes.statusResponse(.forHTTPCode(code, message: message))
        } catch {
            context.logger.error("status request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return try StatusRoutes.statusResponse(.forHTTPCode(500, message: "\(error)"))
        }
    }
}
