import Foundation

/// One manifest document decoded into a `Pod`, or the reasons it could not be.
public struct PodDecodeResult: Hashable, Sendable {
    /// The decoded pod (not yet defaulted or validated); nil when `errors` is not empty.
    public var pod: Pod?
    /// Unknown fields, `unknown field "<path>"`.
    public var warnings: [String]
    /// Why the document is not a Pod: missing or unsupported kind/apiVersion, wrong JSON types.
    public var errors: [String]
}
