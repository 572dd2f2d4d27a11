/// Dictionaries of text known to trouble YAML and JSON readers and Kubernetes validation: wrong
/// types, extreme numbers, tags, anchors, odd Unicode.
public enum HostileText {
    /// Scalars written in place of a value: wrong types, extremes, tags, aliases.
    public static let scalars: [String] = [
        // Numbers at and past every limit a field may have.
        "1e400", "-1e400", "1e-400", "-1", "0", "-0", "1", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "340282366920938463463374607431768211456", "0x7FFFFFFFFFFFFFFF",
        "0xFFFFFFFFFFFFFFFFFF", "-0x8000000000000000", "0o777", "0b1111", "017", "09", "1_000_000", "+12", ".5", "5.",
        "1.5e308", "1.8e308", "4.9e-324", "2.5", "-0.0", ".inf", "-.inf", ".nan", ".NaN", "NaN", "Infinity", "1e", "1e+",
        "0.0000000000000000000000001", "1E+30", "123456789012345678901234567890",
        // Bools and nulls in their YAML 1.1 spellings.
        "true", "false", "yes", "No", "on", "OFF", "y", "n", "null", "~", "", "\"\"", "''",
        // Containers where a scalar belongs.
        "[]", "{}", "[1, 2]", "{a: 1}", "[[]]", "{\"\": \"\"}", "[null]", "{null: 1}", "{? a}",
        // Tags.
        "!!binary aGVsbG8=", "!!binary ===", "!!binary", "!!int abc", "!!int 99999999999999999999", "!!float x", "!!float 1e400",
        "!!bool maybe", "!!null x", "!!str 80", "!!str", "!!timestamp 2001-12-14", "!!timestamp nope", "!!set {a, b}",
        "!!omap [a: 1]", "!!pairs [a: 1, a: 2]", "!!map {}", "!!seq []", "!!map []", "!custom x", "!<tag:yaml.org,2002:str> 1",
        "!<!> x", "!!merge x", "! 12", "!!python/object:os.system x", "!!value =",
        // Anchors and aliases.
        "&a x", "&a [1, 2]", "*a", "*undefined", "&a *a", "&a &b x",
        // Escapes and Unicode.
        "\"\\u0000\"", "\"\\x00\"", "\"\\uD800\"", "\"\\uDC00\\uD800\"", "\"\\U0010FFFF\"", "\"\\U00110000\"", "\"\\uFFFF\"",
        "\"\\uFEFF\"", "\"é\"", "\"😀\"", "\"\\u202E\"", "\"a\\u0000b\"", "\"\\e\\a\\b\"", "\"\\q\"", "\"\\N\\_\\L\\P\"",
        "é", "😀", "\u{0085}", "\u{2028}", "\u{200B}", "Ω", "İ", "ǅ", "ß", "Ａ", "\u{0301}a",
        // Kubernetes quantities, durations, times, names.
        "1000m", "100Mi", "1Ei", "9999999999999999999Ei", "1e100", "0.000000001", "-100Mi", "1.5.5", "1Qi", "1e3m", "100n",
        "1000000000000000000000000k", "1e-30", "0.1m", "1Ki1", "9223372036854775807Ei", "1e18", "18446744073709551616m",
        "2001-12-14t21:59:43.10-05:00", "2001-13-45", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-0001-01-01T00:00:00Z",
        "UPPER", "a..b", "-leading", "trailing-", "a/b", "a_b", "a b", "a.b.c", "xn--80ak6aa92e",
        "\"" + String(repeating: "a", count: 64) + "\"", "\"" + String(repeating: "a", count: 254) + "\"",
        "\"" + String(repeating: "a", count: 4096) + "\"", "\"" + String(repeating: "é", count: 300) + "\"",
        "sha256:" + String(repeating: "0", count: 64), "nginx@sha256:abc", "nginx:", ":tag", "UPPER/Image", "a:b:c",
        "registry:99999/x", "localhost/", "/abs", "host.example.com:5000/a/b/c/d:v1",
        // Block scalars and stray indicators.
        "|\n  multi\n  line", ">-\n  folded", "|+", "|9\n x", "- -", "a: b", "'it''s'", "\"unterminated", "'unterminated",
        "@reserved", "`reserved", "%", "#comment", "[", "{", "]", "}", ",", "? x", ": x", "-", "?", ":", "\\", "|", ">", "<<",
    ]

    /// Tokens inserted into text at byte level.
    public static let tokens: [String] = [
        "\u{0}", "\t", "\r", "\r\n", "\n", "\u{FEFF}", "\u{0085}", "\u{2028}", "\u{2029}", "\u{FFFD}", "\u{FFFF}", "\u{10FFFF}",
        "\u{200B}", "\u{202E}", "é", "😀", "---\n", "...\n", "--- ", "%YAML 1.1\n", "%YAML 1.3\n", "%YAML 2.0\n---\n",
        "%TAG ! tag:example.com,2000:\n---\n", "%TAG !e! tag:e,2000:\n", "&a ", "&a\n", "*a", "*a ", " *a", "? ", ": ", ":", "- ",
        "!!binary ", "!!str ", "!!int ", "!!map ", "!!seq ", "!foo ", "!<x> ", "<<: *a\n", "<<: [*a, *a]\n", "<<: ", "|", "|-\n",
        ">+\n", "#", " #", "{", "}", "[", "]", ",", "'", "\"", "\\", "@", "`", "%", "&", "*", "!", "?", "|", ">",
        "99999999999999999999999", "1e400", "-1", "0x", "  ", "\t\t", "\n  - ", "\n- ", "\nx: y\n", "\n\n\n", "\"\\u0000\"",
    ]

    /// Single bytes that are not valid UTF-8 on their own, or start sequences that must not end
    /// where the text does.
    public static let badBytes: [[UInt8]] = [
        [0xFF], [0xFE], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xBF], [0xFE, 0xFF], [0xFF, 0xFE], [0xEF, 0xBB, 0xBF],
    ]

    /// Field names of a Pod, put where they do not belong.
    public static let fieldNames: [String] = [
        "apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "generateName", "uid", "spec",
        "containers", "initContainers", "ephemeralContainers", "image", "command", "args", "env", "envFrom", "ports",
        "containerPort", "hostPort", "protocol", "resources", "limits", "requests", "volumeMounts", "volumes", "emptyDir",
        "hostPath", "configMap", "secret", "readinessProbe", "livenessProbe", "startupProbe", "httpGet", "tcpSocket", "exec",
        "grpc", "port", "path", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold",
        "initialDelaySeconds", "terminationGracePeriodSeconds", "restartPolicy", "readinessGates", "conditionType",
        "securityContext", "runAsUser", "capabilities", "tolerations", "affinity", "nodeSelector", "hostNetwork", "dnsPolicy",
        "imagePullPolicy", "lifecycle", "preStop", "postStart", "status", "priority", "activeDeadlineSeconds", "valueFrom",
        "fieldRef", "fieldPath", "resourceFieldRef", "divisor", "sizeLimit", "medium", "subPath", "mountPath", "readOnly",
        "<<", "", "1", "null", "true", "~", "\"\"", "\"a.b\"", "'x'", "\"\\u0000\"", "ſpec", "Spec", "SPEC", "spec ", " spec",
    ]
}
