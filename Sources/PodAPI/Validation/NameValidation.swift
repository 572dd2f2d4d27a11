/// The string checks of apimachinery's `util/validation` package. Each returns the list of
/// problem messages in Kubernetes' exact wording (empty when the value is valid); callers wrap
/// them in `FieldError.invalid`.
public enum NameValidation {
    /// Length limits of the checks below, in bytes.
    public static let dns1123LabelMaxLength = 63
    public static let dns1123SubdomainMaxLength = 253
    public static let qualifiedNameMaxLength = 63
    public static let labelValueMaxLength = 63

    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
    static let dns1123SubdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
    static let dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let labelValueFormat = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
    static let labelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    /// apimachinery's `RegexError`: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`,
    /// including the double space its loop leaves between examples.
    public static func regexError(_ message: String, _ format: String, examples: [String]) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '" + format + "')" }
        var s = message + " (e.g. "
        for (i, e) in examples.enumerated() {
            if i > 0 { s += " or " }
            s += "'" + e + "', "
        }
        return s + "regex used for validation is '" + format + "')"
    }

    /// `MaxLenError`: `must be no more than N characters`.
    public static func maxLenError(_ n: Int) -> String { "must be no more than \(n) characters" }

    /// `InclusiveRangeError`: `must be between lo and hi, inclusive`.
    public static func inclusiveRangeError(_ lo: Int64, _ hi: Int64) -> String { "must be between \(lo) and \(hi), inclusive" }

    /// `IsDNS1123Label`: at most 63 characters of `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
    public static func dns1123Label(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errs.append(maxLenError(dns1123LabelMaxLength)) }
        if !isLabel(Array(value.utf8)) {
            errs.append(regexError(dns1123LabelMessage, dns1123LabelFormat, examples: ["my-name", "123-abc"]))
        }
        return errs
    }

    /// `IsDNS1123Subdomain`: at most 253 characters of dot-separated DNS labels.
    public static func dns1123Subdomain(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errs.append(maxLenError(dns1123SubdomainMaxLength)) }
        if !isSubdomain(value) {
            errs.append(regexError(dns1123SubdomainMessage, dns1123SubdomainFormat, examples: ["example.com"]))
        }
        return errs
    }

    /// `IsQualifiedName`: `[prefix/]name` where the prefix is a DNS subdomain and the name is at
    /// most 63 characters of `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` (used for label and
    /// annotation keys, readiness gate condition types, resource names).
    public static func qualifiedName(_ value: String) -> [String] {
        var errs: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errs.append("prefix part must be non-empty")
            } else {
                errs += dns1123Subdomain(prefix).map { "prefix part " + $0 }
            }
        default:
            return [
                "a qualified name " + regexError(qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"])
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            errs.append("name part must be non-empty")
        } else if name.utf8.count > qualifiedNameMaxLength {
            errs.append("name part " + maxLenError(qualifiedNameMaxLength))
        }
        if !isQualifiedNamePart(Array(name.utf8)) {
            errs.append("name part " + regexError(qualifiedNameMessage, qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"]))
        }
        return errs
    }

    /// `IsValidLabelValue`: empty, or at most 63 characters of a qualified-name part.
    public static func labelValue(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > labelValueMaxLength { errs.append(maxLenError(labelValueMaxLength)) }
        if !value.isEmpty && !isQualifiedNamePart(Array(value.utf8)) {
            errs.append(regexError(labelValueMessage, labelValueFormat, examples: ["MyValue", "my_value", "12345"]))
        }
        return errs
    }

    /// `IsValidPortNum`: 1...65535.
    public static func portNumber(_ port: Int64) -> [String] {
        (1...65535).contains(port) ? [] : [inclusiveRangeError(1, 65535)]
    }

    /// `IsValidPortName` (IANA_SVC_NAME): at most 15 characters of `[-a-z0-9]`, at least one
    /// letter, no `--`, no leading or trailing `-`.
    public static func portName(_ port: String) -> [String] {
        var errs: [String] = []
        let b = Array(port.utf8)
        if b.count > 15 { errs.append(maxLenError(15)) }
        if b.isEmpty || !b.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: "-") }) {
            errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !b.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) {
            errs.append("must contain at least one letter (a-z)")
        }
        if port.contains("--") { errs.append("must not contain consecutive hyphens") }
        if let f = b.first, let l = b.last, f == UInt8(ascii: "-") || l == UInt8(ascii: "-") {
            errs.append("must not begin or end with a hyphen")
        }
        return errs
    }

    /// `IsRelaxedEnvVarName` (the rule in force since RelaxedEnvironmentVariableValidation went
    /// beta in 1.32): printable ASCII other than `=`.
    public static func relaxedEnvVarName(_ value: String) -> [String] {
        var errs: [String] = []
        if !value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value <= 0x7E && $0 != "=" }) {
            errs.append("a valid environment variable name must consist only of printable ASCII characters other than '='")
        }
        return errs
    }

    /// Whether `value` is a valid RFC 1123 label (`dns1123Label(value)` is empty).
    public static func isDNS1123Label(_ value: String) -> Bool { dns1123Label(value).isEmpty }

    // MARK: Character-level matchers (no regex engine: hot on pods with hundreds of containers).

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        isLowerAlnum(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func isLabel(_ b: [UInt8]) -> Bool { isLabel(b[...]) }

    static func isLabel(_ b: ArraySlice<UInt8>) -> Bool {
        guard let f = b.first, let l = b.last, isLowerAlnum(f), isLowerAlnum(l) else { return false }
        return b.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func isSubdomain(_ s: String) -> Bool {
        let b = Array(s.utf8)
        if b.isEmpty { return false }
        return b.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { isLabel($0) }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    static func isQualifiedNamePart(_ b: [UInt8]) -> Bool {
        guard let f = b.first, let l = b.last, isAlnum(f), isAlnum(l) else { return false }
        return b.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}
