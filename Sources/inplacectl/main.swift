import ArgumentParser
import CLIKit
import Foundation

// Only argument parsing here; the commands live in CLIKit.

extension OutputFormat: ExpressibleByArgument {}

struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The status socket (default: $INPLACED_SOCKET, else ./.inplaced/inplaced.sock if it exists, else /run/inplaced/inplaced.sock).",
            valueName: "path"))
    var socket: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The fleet's API server (inplace-controller or a kube-apiserver); default $INPLACED_SERVER: a URL or a kubeconfig-like file.",
            valueName: "url"))
    var server: String?

    @Option(name: .long, help: "Bearer token for --server.") var token: String?
    @Option(name: .long, help: ArgumentHelp("File holding the bearer token for --server.", valueName: "path")) var tokenFile: String?
    @Option(name: .long, help: ArgumentHelp("PEM CA that verifies an https --server.", valueName: "path")) var certificateAuthority: String?

    /// The API server's configuration, nil when none is named (or --socket is given).
    func serverConfig() throws -> ServerConfig? {
        if socket != nil, server == nil { return nil }
        return try ServerConfig.resolve(server: server, token: token, tokenFile: tokenFile, caFile: certificateAuthority)
    }

    func commands() throws -> Commands {
        if let config = try serverConfig() { return Commands(client: APIServerClient(config: config)) }
        return Commands(client: StatusClient(socketPath: socket ?? SocketLocator.defaultPath()))
    }

    /// The commands only an API server answers.
    func serverCommands() throws -> ServerCommands {
        guard let config = try serverConfig() else {
            throw ServerConfigError(message: "this command needs an API server: give --server URL or set INPLACED_SERVER")
        }
        return ServerCommands(client: APIServerClient(config: config))
    }
}

/// Prints a command's output; on error prints it to stderr and exits 1. Output that cannot be
/// written (a reader that went away, as `| head` does) ends the command quietly with 141, the
/// status a shell shows for a process ended by SIGPIPE (kubectl's end in the same place).
func emit(_ body: () async throws -> CommandOutput) async throws {
    do {
        let out = try await body()
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(out.stdout.utf8))
            try FileHandle.standardError.write(contentsOf: Data(out.stderr.utf8))
        } catch {
            throw ExitCode(141)
        }
    } catch let code as ExitCode {
        throw code
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(1)
    }
}

struct Inplacectl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inplacectl",
        abstract: "Reads inplaced's status socket, or the fleet's API server (--server): pods, nodes, events; applies and deletes pods.",
        subcommands: [Get.self, Describe.self, Events.self, Status.self, Apply.self, Delete.self, Rollout.self, Scale.self])
    // Declared here too so that `--socket` may come before the subcommand.
    @OptionGroup var global: GlobalOptions
}

struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show pods, nodes or events as kubectl get does.",
        subcommands: [GetPods.self, GetPod.self, GetNodes.self, GetCloneSets.self, GetEvents.self])
}

struct GetPods: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pods", abstract: "List pods (or show one, as `get pods NAME`).",
        aliases: ["po"])
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A pod's name, to show only that pod.") var name: String?
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Pods of every namespace.") var allNamespaces = false
    @Option(name: .shortAndLong, help: "Output format: wide, json, yaml or name.") var output: OutputFormat?

    func run() async throws {
        if let name {
            try await emit { try await global.commands().getPod(name: name, namespace: namespace, output: output) }
        } else {
            try await emit { try await global.commands().getPods(namespace: namespace, allNamespaces: allNamespaces, output: output) }
        }
    }
}

struct GetPod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pod", abstract: "Show one pod.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The pod's name.") var name: String
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"
    @Option(name: .shortAndLong, help: "Output format: wide, json, yaml or name.") var output: OutputFormat?

    func run() async throws {
        try await emit { try await global.commands().getPod(name: name, namespace: namespace, output: output) }
    }
}

struct Describe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a pod as kubectl describe does, with its in-place updates.",
        subcommands: [DescribePod.self, DescribeCloneSet.self])
}

struct DescribePod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pod", abstract: "Describe one pod.", aliases: ["pods", "po"])
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The pod's name.") var name: String
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"

    func run() async throws {
        try await emit { try await global.commands().describePod(name: name, namespace: namespace) }
    }
}

struct DescribeCloneSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloneset", abstract: "Describe one CloneSet (--server).", aliases: ["clonesets", "clone"])
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The CloneSet's name.") var name: String
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"

    func run() async throws {
        try await emit { try await global.serverCommands().describeCloneSet(name: name, namespace: namespace) }
    }
}

struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List events as kubectl get events does.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Events of every namespace.") var allNamespaces = false
    @Option(name: .long, help: "Only the events of this pod.") var pod: String?

    func run() async throws {
        try await emit { try await global.commands().events(namespace: namespace, allNamespaces: allNamespaces, pod: pod) }
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the agent's node, runtime, pods and manifest errors.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await emit { try await global.commands().status() }
    }
}

/// kubectl's `pod/NAME` form becomes `pod NAME`.
func kubectlStyleArguments(_ args: [String]) -> [String] {
    args.flatMap { arg -> [String] in
        for kind in ["pod/", "pods/", "po/"] where arg.hasPrefix(kind) && arg.count > kind.count {
            return ["pod", String(arg.dropFirst(kind.count))]
        }
        return [arg]
    }
}

// Called from an async function so that the async `main()` overload is chosen.
func runInplacectl() async {
    await Inplacectl.main(kubectlStyleArguments(Array(CommandLine.arguments.dropFirst())))
}

await runInplacectl()

struct GetNodes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes", abstract: "List the fleet's nodes (--server).", aliases: ["node", "no"])
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Output format: json or name.") var output: OutputFormat?

    func run() async throws {
        try await emit { try await global.serverCommands().getNodes(output: output) }
    }
}

struct GetCloneSets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonesets", abstract: "List the fleet's CloneSets (--server), with kruise's columns.",
        aliases: ["cloneset", "clone"])
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "CloneSets of every namespace.") var allNamespaces = false
    @Option(name: .shortAndLong, help: "Output format: json or name.") var output: OutputFormat?
    @Flag(name: .shortAndLong, help: "After the list, print a row for every change (kubectl get -w).") var watch = false

    func run() async throws {
        if watch {
            try await emit {
                try await global.serverCommands().watchCloneSets(namespace: namespace, allNamespaces: allNamespaces) { line in
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
                return CommandOutput(stdout: "")
            }
            return
        }
        try await emit {
            try await global.serverCommands().getCloneSets(namespace: namespace, allNamespaces: allNamespaces, output: output)
        }
    }
}

struct GetEvents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "List events.", aliases: ["event", "ev"])
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Events of every namespace.") var allNamespaces = false

    func run() async throws {
        try await emit { try await global.commands().events(namespace: namespace, allNamespaces: allNamespaces, pod: nil) }
    }
}

struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the Pods of a file on the API server (--server).")
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "A YAML or JSON file of Pods (several documents allowed); - for stdin.") var filename: String
    @Option(name: .shortAndLong, help: "Namespace of pods that name none.") var namespace = "default"

    func run() async throws {
        try await emit {
            let text = try readManifest(filename)
            return try await global.serverCommands().apply(file: filename, text: text, namespace: namespace)
        }
    }
}

struct Rollout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "CloneSet rollouts (--server).", subcommands: [RolloutPlanCmd.self, RolloutStatusCmd.self])
}

/// `cloneset/NAME`, `clonesets/NAME`, `clone/NAME` or a bare NAME: the set's name.
func cloneSetName(_ reference: String) throws -> String {
    let parts = reference.split(separator: "/", maxSplits: 1).map(String.init)
    if parts.count == 1 { return parts[0] }
    guard ["cloneset", "clonesets", "clone", "cloneset.apps.kruise.io"].contains(parts[0].lowercased()), !parts[1].isEmpty else {
        throw ValidationError("expected cloneset/NAME, not \(reference)")
    }
    return parts[1]
}

struct RolloutStatusCmd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Wait for a CloneSet's rollout to finish, printing its progress (kubectl rollout status).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "cloneset/NAME") var reference: String
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"
    @Option(name: .long, help: "Seconds to wait before giving up (0: forever).") var timeout: Double = 0

    func run() async throws {
        let name = try cloneSetName(reference)
        try await emit {
            try await global.serverCommands().rolloutStatus(name: name, namespace: namespace, timeout: timeout) { line in
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            return CommandOutput(stdout: "")
        }
    }
}

struct Scale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Set a CloneSet's replicas through its scale subresource (--server).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "cloneset/NAME, or cloneset NAME") var reference: [String]
    @Option(name: .long, help: "The new number of replicas.") var replicas: Int
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"

    func run() async throws {
        let name = try cloneSetName(reference.joined(separator: "/"))
        try await emit { try await global.serverCommands().scaleCloneSet(name: name, namespace: namespace, replicas: replicas) }
    }
}

struct RolloutPlanCmd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract:
            "Show what applying the CloneSets of a file would do: the pods to update, in which waves and order, in place or recreated.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "A YAML or JSON file with CloneSets; - for stdin.") var filename: String
    @Option(name: .shortAndLong, help: "Namespace of objects that name none.") var namespace = "default"

    func run() async throws {
        try await emit {
            let text = try readManifest(filename)
            return try await global.serverCommands().rolloutPlan(file: filename, text: text, namespace: namespace)
        }
    }
}

struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete a pod on the API server (--server).", subcommands: [DeletePod.self])
}

struct DeletePod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pod", abstract: "Delete one pod (gracefully: its node stops it).", aliases: ["pods", "po"])
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The pod's name.") var name: String
    @Option(name: .shortAndLong, help: "Namespace.") var namespace = "default"
    @Option(name: .long, help: "Seconds of grace (default: the pod's terminationGracePeriodSeconds).") var gracePeriod: Int?

    func run() async throws {
        try await emit { try await global.serverCommands().deletePod(name: name, namespace: namespace, gracePeriod: gracePeriod) }
    }
}

/// The text of `-f FILE` (`-`: stdin).
/// - Throws: `ServerConfigError` naming a path that cannot be read.
func readManifest(_ filename: String) throws -> String {
    if filename == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
    guard let read = try? String(contentsOfFile: filename, encoding: .utf8) else {
        throw ServerConfigError(message: "error: the path \"\(filename)\" cannot be read")
    }
    return read
}
