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

    func commands() -> Commands {
        Commands(client: StatusClient(socketPath: socket ?? SocketLocator.defaultPath()))
    }
}

/// Prints a command's output; on error prints it to stderr and exits 1.
func emit(_ body: () async throws -> CommandOutput) async throws {
    do {
        let out = try await body()
        FileHandle.standardOutput.write(Data(out.stdout.utf8))
        FileHandle.standardError.write(Data(out.stderr.utf8))
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(1)
    }
}

struct Inplacectl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inplacectl",
        abstract: "Reads inplaced's status socket: pods, in-place updates, events, agent status.",
        subcommands: [Get.self, Describe.self, Events.self, Status.self])
    // Declared here too so that `--socket` may come before the subcommand.
    @OptionGroup var global: GlobalOptions
}

struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show pods as kubectl get does.", subcommands: [GetPods.self, GetPod.self])
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
        abstract: "Describe a pod as kubectl describe does, with its in-place updates.", subcommands: [DescribePod.self])
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
