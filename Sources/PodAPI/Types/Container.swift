import Foundation

/// A core/v1 Container. Typed where the agent acts (identity, image, process, pull policy,
/// termination message); every other Container field the API defines is kept as raw JSON in
/// `other` (ports, env, resources, probes, volumeMounts, securityContext, ...).
public struct Container: Hashable, Sendable {
    public var name: String
    public var image: String?
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    /// `Always`, `IfNotPresent` or `Never`; defaulted by the image's tag as the API server does.
    public var imagePullPolicy: String?
    public var terminationMessagePath: String?
    public var terminationMessagePolicy: String?
    /// Every other Container field the API defines, by its JSON name.
    public var other: [String: JSONValue]

    public init(
        name: String, image: String?, command: [String]? = nil, args: [String]? = nil,
        workingDir: String? = nil, imagePullPolicy: String? = nil, other: [String: JSONValue] = [:]
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.imagePullPolicy = imagePullPolicy
        self.other = other
    }

    static let typedKeys: Set<String> = [
        "name", "image", "command", "args", "workingDir", "imagePullPolicy",
        "terminationMessagePath", "terminationMessagePolicy",
    ]
}

extension Container: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("name")) ?? ""
        image = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("image"))
        command = try c.decodeIfPresent([String].self, forKey: AnyCodingKey("command"))
        args = try c.decodeIfPresent([String].self, forKey: AnyCodingKey("args"))
        workingDir = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("workingDir"))
        imagePullPolicy = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("imagePullPolicy"))
        terminationMessagePath = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("terminationMessagePath"))
        terminationMessagePolicy = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("terminationMessagePolicy"))
        other = try c.decodeBag(excluding: Container.typedKeys)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(name, forKey: AnyCodingKey("name"))
        try c.encodeIfPresent(image, forKey: AnyCodingKey("image"))
        try c.encodeIfPresent(command, forKey: AnyCodingKey("command"))
        try c.encodeIfPresent(args, forKey: AnyCodingKey("args"))
        try c.encodeIfPresent(workingDir, forKey: AnyCodingKey("workingDir"))
        try c.encodeIfPresent(imagePullPolicy, forKey: AnyCodingKey("imagePullPolicy"))
        try c.encodeIfPresent(terminationMessagePath, forKey: AnyCodingKey("terminationMessagePath"))
        try c.encodeIfPresent(terminationMessagePolicy, forKey: AnyCodingKey("terminationMessagePolicy"))
        try c.encodeBag(other)
    }
}
