import APIRegistry
import PodAPI

/// What the API answers: an object with its HTTP code, or a watch stream.
public enum APIResult: Sendable {
    /// A JSON body (an object, a list or a `Status`) and its HTTP code.
    case object(code: Int, body: JSONValue)
    /// Newline-delimited watch events until `timeoutSeconds`; BOOKMARKs every
    /// `bookmarkSeconds` when asked for.
    case watch(events: AsyncStream<WatchEvent>, kind: String, apiVersion: String, timeoutSeconds: Int, bookmarkSeconds: Int?)
}
