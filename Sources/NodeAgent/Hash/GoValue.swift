import Foundation
import PodAPI

/// An ordered JSON value rendered byte for byte as Go's encoding/json would: compact, keys in the
/// order given, `<`, `>`, `&`, U+2028 and U+2029 escaped, integers without a fraction.
enum GoValue {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null
    case array([GoValue])
    case object([(String, GoValue)])
}
