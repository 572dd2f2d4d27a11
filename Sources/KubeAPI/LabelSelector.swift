import Foundation
import PodAPI

/// A label selector in the API's query syntax (`labelSelector=app=web,tier!=db,env in (a,b),!legacy`),
/// as labels.Parse reads it: requirements joined by `,`, all of which must hold.
public struct LabelSelector: Sendable, Hashable {
    public enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .equals(let k, let v): return labels[k] == v
            case .notEquals(let k, let v): return labels[k] != v
            case .isIn(let k, let vs): return labels[k].map(vs.contains) ?? false
            case .notIn(let k, let vs): return !(labels[k].map(vs.contains) ?? false)
            case .exists(let k): return labels[k] != nil
            case .doesNotExist(let k): return labels[k] == nil
            }
        }
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement]) { self.requirements = requirements }

    /// Whether `labels` satisfy every requirement (an empty selector matches everything).
    public func matches(_ labels: [String: String]) -> Bool { requirements.allSatisfy { $0.matches(labels) } }

    /// Parses the query syntax.
    /// - Throws: `APIError.badRequest` with `unable to parse requirement: <text>`.
    public static func parse(_ text: String) throws(APIError) -> LabelSelector {
        var requirements: [Requirement] = []
        for part in splitTopLevel(text) {
            let s = part.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { continue }
            requirements.append(try requirement(s))
        }
        return LabelSelector(requirements: requirements)
    }

    /// Splits at commas outside parentheses.
    static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts
    }

    static func requirement(_ s: String) throws(APIError) -> Requirement {
        func bad() -> APIError { .badRequest("unable to parse requirement: found '\(s)', expected: valid label selector") }
        func key(_ k: Substring) throws(APIError) -> String {
            let k = k.trimmingCharacters(in: .whitespaces)
            guard !k.isEmpty, k.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) else { throw bad() }
            return k
        }
        if s.hasPrefix("!") { return .doesNotExist(try key(s.dropFirst())) }
        for (op, build) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
            if let r = s.range(of: op) {
                return build(try key(s[..<r.lowerBound]), s[r.upperBound...].trimmingCharacters(in: .whitespaces))
            }
        }
        for (op, isIn) in [(" notin ", false), (" in ", true)] {
            if let r = s.range(of: op) {
                let k = try key(s[..<r.lowerBound])
                let rest = s[r.upperBound...].trimmingCharacters(in: .whitespaces)
                guard rest.hasPrefix("("), rest.hasSuffix(")") else { throw bad() }
                let values = Set(rest.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                return isIn ? .isIn(k, values) : .notIn(k, values)
            }
        }
        return .exists(try key(Substring(s)))
    }
}
