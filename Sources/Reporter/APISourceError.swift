/// The API answered a list or watch of pods with an error (the request and the answer).
struct APISourceError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
