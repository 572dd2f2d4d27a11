/// An `IntOrString` field of the Kubernetes API that holds a count or a percentage (`partition`,
/// `maxUnavailable`, `maxSurge`): `3` or `"20%"`.
public enum IntOrPercent: Sendable, Hashable {
    case count(Int)
    case percent(Int)

    /// Parses the JSON value as the API server accepts it: an integer, or a string `"<n>%"`.
    /// - Throws: ``IntOrPercentError`` naming `field` for anything else (a string without `%`
    ///   is refused as intstr's `GetScaledValueFromIntOrPercent` refuses it).
    public init(parsing text: String, field: String) throws(IntOrPercentError) {
        if let n = Int(text) {
            self = .count(n)
            return
        }
        guard text.hasSuffix("%"), let n = Int(text.dropLast()) else {
            throw IntOrPercentError(field: field, value: text)
        }
        self = .percent(n)
    }

    /// The count this value stands for out of `total`: a count as is; a percentage of `total`
    /// rounded up or down (intstr's `GetScaledValueFromIntOrPercent`).
    public func scaled(total: Int, roundUp: Bool) -> Int {
        switch self {
        case .count(let n): return n
        case .percent(let p):
            let product = p * total
            if roundUp { return product >= 0 ? (product + 99) / 100 : product / 100 }
            return product >= 0 ? product / 100 : (product - 99) / 100
        }
    }

    /// As the API writes it: `3` or `"20%"`.
    public var description: String {
        switch self {
        case .count(let n): return String(n)
        case .percent(let p): return "\(p)%"
        }
    }
}

/// A value of an int-or-percent field that is neither.
public struct IntOrPercentError: Error, Hashable, CustomStringConvertible {
    public var field: String
    public var value: String

    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }

    public var description: String {
        "\(field): Invalid value: \"\(value)\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
    }
}
