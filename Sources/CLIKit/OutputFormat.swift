import Foundation
import PodAPI

/// `-o` of `inplacectl get`: nil (no `-o`) prints the table.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// The table with `IP NODE NOMINATED NODE READINESS GATES`.
    case wide
    /// ``ObjectPrinter/json(_:)``; several pods as a `v1` `List`.
    case json
    /// ``ObjectPrinter/yaml(_:)``; several pods as a `v1` `List`.
    case yaml
    /// `pod/<name>` per line.
    case name
}
