import Foundation
import Testing

@testable import PodAPI

/// The repository's own valid pods (`Fixtures/pods`): manifests of the shapes a node agent meets
/// in practice (init containers, native and classic sidecars, every probe handler, lifecycle
/// hooks, most volume sources, env and envFrom, security contexts, resources, host networking,
/// readiness gates, several documents per file, flow style, block scalars, anchors, JSON). Every
/// file loads with no error and no warning, into the pods and containers its table row names.
@Suite struct PodFixtureTests {
    struct PodShape: Hashable, Sendable, CustomStringConvertible {
        let key: String
        let initContainers: [String]
        let containers: [String]
        init(_ key: String, initContainers: [String], containers: [String]) {
            self.key = key
            self.initContainers = initContainers
            self.containers = containers
        }
        var description: String { "\(key) init \(initContainers) containers \(containers)" }
    }

    struct Shape: Sendable, CustomTestStringConvertible {
        let file: String
        let pods: [PodShape]
        init(_ file: String, _ pods: [PodShape]) {
            self.file = file
            self.pods = pods
        }
        var testDescription: String { file }
    }

    /// Every fixture file: the pods it defines, in document order.
    static let shapes: [Shape] = [
        Shape("basic-single-container.yaml", [.init("default/hello-web", initContainers: [], containers: ["web"])]),
        Shape("batch-run-to-completion.yaml", [.init("media/thumbnailer", initContainers: [], containers: ["thumbs"])]),
        Shape("block-scalar-scripts.yaml", [.init("default/script-runner", initContainers: [], containers: ["runner", "folded"])]),
        Shape("cache-emptydir-memory.yml", [.init("shop/session-cache", initContainers: [], containers: ["redis"])]),
        Shape("classic-sidecar-git-sync.yaml", [.init("default/docs-site", initContainers: [], containers: ["server", "git-sync"])]),
        Shape("dns-config-and-host-aliases.yaml", [.init("default/legacy-client", initContainers: [], containers: ["client"])]),
        Shape("env-dependent-variables.yaml", [.init("default/url-builder", initContainers: [], containers: ["client"])]),
        Shape("env-from-configmap-and-secret.yaml", [.init("payments/payments-api", initContainers: [], containers: ["api"])]),
        Shape("env-values-and-field-refs.yaml", [.init("tools/env-reporter", initContainers: [], containers: ["reporter"])]),
        Shape("flow-style-with-trailing-commas.yaml", [.init("default/flow-style", initContainers: [], containers: ["printer"])]),
        Shape("host-network-agent.yaml", [.init("monitoring/metrics-agent", initContainers: [], containers: ["node-exporter"])]),
        Shape(
            "init-containers-wait-and-migrate.yaml",
            [.init("shop/orders-api", initContainers: ["wait-for-postgres", "migrate"], containers: ["api"])]),
        Shape("json-batch-job.json", [.init("reports/json-nightly-report", initContainers: ["fetch"], containers: ["report"])]),
        Shape("json-web-with-volume.json", [.init("web/json-static-site", initContainers: [], containers: ["caddy"])]),
        Shape(
            "labels-annotations-and-finalizers.yaml", [.init("catalogue/richly-labelled", initContainers: [], containers: ["catalogue"])]),
        Shape("lifecycle-hooks.yaml", [.init("default/edge-proxy", initContainers: [], containers: ["proxy", "pause-before-exit"])]),
        Shape(
            "multi-document-separators-and-comments.yaml",
            [
                .init("etl/batch-extract", initContainers: [], containers: ["extract"]),
                .init("etl/batch-load", initContainers: [], containers: ["load"]),
            ]),
        Shape(
            "multi-document-three-pods.yaml",
            [
                .init("stack/stack-db", initContainers: [], containers: ["mariadb"]),
                .init("stack/stack-cache", initContainers: [], containers: ["memcached"]),
                .init("stack/stack-web", initContainers: [], containers: ["php"]),
            ]),
        Shape(
            "native-sidecar-log-forwarder.yaml",
            [.init("billing/billing-worker", initContainers: ["log-forwarder"], containers: ["worker"])]),
        Shape("ports-named-protocols.yaml", [.init("default/voice-gateway", initContainers: [], containers: ["sip"])]),
        Shape("private-registry-pull-secret.yaml", [.init("default/private-tools", initContainers: [], containers: ["tool", "pinned"])]),
        Shape("probe-exec.yaml", [.init("default/heartbeat-file", initContainers: [], containers: ["ticker"])]),
        Shape("probe-grpc.yaml", [.init("shop/inventory-grpc", initContainers: [], containers: ["inventory"])]),
        Shape("probe-http-get.yaml", [.init("shop/catalog", initContainers: [], containers: ["catalog"])]),
        Shape("probe-startup-slow-boot.yaml", [.init("default/search-index", initContainers: [], containers: ["search"])]),
        Shape("probe-tcp-socket.yaml", [.init("default/message-queue", initContainers: [], containers: ["broker"])]),
        Shape("readiness-gates-inplace.yaml", [.init("shop/storefront", initContainers: [], containers: ["web", "metrics"])]),
        Shape("resources-pod-level.yaml", [.init("default/shared-budget", initContainers: [], containers: ["frontend", "renderer"])]),
        Shape(
            "resources-requests-and-limits.yaml",
            [.init("default/resource-shapes", initContainers: [], containers: ["millicores", "decimals", "guaranteed"])]),
        Shape("runtime-class-and-os.yaml", [.init("default/sandboxed", initContainers: [], containers: ["untrusted"])]),
        Shape("scheduling-affinity-and-tolerations.yaml", [.init("shop/zone-aware-api", initContainers: [], containers: ["api"])]),
        Shape("security-context-restricted.yaml", [.init("default/locked-down", initContainers: [], containers: ["app"])]),
        Shape(
            "security-privileged-capabilities.yaml", [.init("kube-system/net-tuner", initContainers: ["sysctl"], containers: ["monitor"])]),
        Shape(
            "service-account-and-process-namespace.yaml",
            [.init("default/debug-friendly", initContainers: [], containers: ["app", "shell"])]),
        Shape("static-control-plane-component.yaml", [.init("kube-system/config-store", initContainers: [], containers: ["config-store"])]),
        Shape("volumes-configmap-and-secret.yaml", [.init("infra/mail-relay", initContainers: [], containers: ["relay"])]),
        Shape(
            "volumes-hostpath-and-downward.yaml", [.init("observability/node-log-collector", initContainers: [], containers: ["collector"])]
        ),
        Shape("volumes-image-and-ephemeral.yaml", [.init("default/model-server", initContainers: [], containers: ["server"])]),
        Shape("volumes-persistent-claim.yaml", [.init("payments/ledger-db", initContainers: [], containers: ["postgres"])]),
        Shape("volumes-projected.yaml", [.init("default/token-consumer", initContainers: [], containers: ["consumer"])]),
        Shape(
            "yaml-anchors-shared-settings.yaml", [.init("default/twin-workers", initContainers: [], containers: ["worker-a", "worker-b"])]),
    ]

    static let files = Fixtures.entries(in: Fixtures.pods)

    static func load(_ file: String) -> ManifestLoadResult { ManifestLoader.load(file: Fixtures.pods + "/" + file) }

    static func pod(_ file: String, document: Int = 0) throws -> Pod {
        try #require(load(file).pods.first { $0.document == document }?.pod, "no pod from document \(document) of \(file)")
    }

    /// Every loaded pod of every fixture.
    static func allPods() -> [(file: String, pod: Pod)] {
        files.flatMap { f in load(f).pods.map { (f, $0.pod) } }
    }

    @Test func everyFileHasAShape() {
        #expect(Self.files.count >= 30, "found \(Self.files.count) files under \(Fixtures.pods)")
        #expect(Self.files.allSatisfy(ManifestLoader.isManifestName))
        #expect(Self.files == Self.shapes.map(\.file))
    }

    @Test(arguments: shapes)
    func loadsWithoutWarningsOrErrors(_ shape: Shape) throws {
        let result = Self.load(shape.file)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(
            result.pods.map {
                PodShape(
                    $0.key, initContainers: ($0.pod.spec.initContainers ?? []).map(\.name),
                    containers: $0.pod.spec.containers.map(\.name))
            } == shape.pods)
        for admitted in result.pods {
            #expect(admitted.warnings.isEmpty)
            #expect(admitted.pod.apiVersion == "v1" && admitted.pod.kind == "Pod")
            #expect(admitted.pod.metadata.namespace != nil)
            #expect(admitted.pod.status == nil)
            #expect(PodValidation.validate(admitted.pod).isEmpty)
            for c in admitted.pod.spec.containers + (admitted.pod.spec.initContainers ?? []) {
                #expect(["Always", "IfNotPresent", "Never"].contains(c.imagePullPolicy ?? ""))
                #expect(c.terminationMessagePolicy != nil)
                // Every image is a reference a runtime can pull.
                _ = try ImageReference.parse(c.image ?? "")
            }
        }
    }

    @Test func directoryLoadsEveryPodWithoutConflict() {
        let r = ManifestLoader.loadDirectory(Fixtures.pods)
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.warnings.isEmpty, "\(r.warnings)")
        #expect(r.skipped.isEmpty)
        #expect(r.pods.map(\.key) == Self.shapes.flatMap { $0.pods.map(\.key) })
        #expect(Set(r.pods.map(\.key)).count == r.pods.count)
        #expect(r.pods.count >= 40)
    }

    /// The fixtures as a whole hold every shape they are meant to cover, so that trimming a file
    /// cannot silently drop one.
    @Test func fixturesCoverTheShapesAnAgentMeets() {
        let all = Self.allPods()
        let pods = all.map(\.pod)
        let containers = pods.flatMap { $0.spec.containers }
        let inits = pods.flatMap { $0.spec.initContainers ?? [] }
        let everyContainer = containers + inits
        func has(_ what: String, _ ok: Bool) { #expect(ok, "no fixture has \(what)") }

        has("an init container", !inits.isEmpty)
        has("a native sidecar", inits.contains { $0.other["restartPolicy"] == .string("Always") })
        has("two or more containers", pods.contains { $0.spec.containers.count >= 2 })
        for kind in ["exec", "httpGet", "tcpSocket", "grpc"] {
            has(
                "a \(kind) probe",
                everyContainer.contains { c in
                    ["livenessProbe", "readinessProbe", "startupProbe"].contains { c.other[$0]?.object(kind) != nil }
                })
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            has("a \(probe)", everyContainer.contains { $0.other[probe] != nil })
        }
        has(
            "postStart and preStop hooks",
            containers.contains {
                $0.other["lifecycle"]?.object("postStart") != nil && $0.other["lifecycle"]?.object("preStop") != nil
            })
        let volumes = pods.flatMap { JSONValue.object($0.spec.other).array("volumes") }
        for source in [
            "emptyDir", "configMap", "secret", "projected", "hostPath", "persistentVolumeClaim",
            "downwardAPI", "image", "ephemeral",
        ] {
            has("a \(source) volume", volumes.contains { $0.object(source) != nil })
        }
        let env = everyContainer.flatMap { JSONValue.object($0.other).array("env") }
        has("a literal env value", env.contains { $0.string("value") != nil })
        for ref in ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"] {
            has("an env \(ref)", env.contains { $0.object("valueFrom")?.object(ref) != nil })
        }
        has("envFrom", everyContainer.contains { !JSONValue.object($0.other).array("envFrom").isEmpty })
        has("a pod securityContext", pods.contains { $0.spec.other["securityContext"]?.objectValue?.isEmpty == false })
        has("a container securityContext", everyContainer.contains { $0.other["securityContext"] != nil })
        has("a privileged container", everyContainer.contains { $0.other["securityContext"]?["privileged"] == .bool(true) })
        has(
            "container requests and limits",
            containers.contains {
                $0.other["resources"]?.object("requests") != nil && $0.other["resources"]?.object("limits") != nil
            })
        has("pod-level resources", pods.contains { $0.spec.other["resources"] != nil })
        has("hostNetwork", pods.contains { $0.spec.hostNetwork == true })
        has(
            "the InPlaceUpdateReady gate",
            pods.contains {
                $0.spec.readinessGates?.contains(PodReadinessGate(conditionType: WellKnown.inPlaceUpdateReady)) == true
            })
        has("tolerations", pods.contains { !($0.spec.tolerations ?? []).isEmpty })
        has("affinity", pods.contains { $0.spec.other["affinity"] != nil })
        for policy in ["Always", "OnFailure", "Never"] {
            has("restartPolicy \(policy)", pods.contains { $0.spec.restartPolicy == policy })
        }
        has("a pod outside the default namespace", pods.contains { $0.metadata.namespace != "default" })
        has("a pod in kube-system", pods.contains { $0.metadata.namespace == "kube-system" })
        has("a JSON file", Self.files.contains { $0.hasSuffix(".json") })
        has("a .yml file", Self.files.contains { $0.hasSuffix(".yml") })
        has("a file of several pods", Dictionary(grouping: all, by: \.file).values.contains { $0.count >= 3 })
        has("a digest-pinned image", everyContainer.contains { ($0.image ?? "").contains("@sha256:") })
        has(
            "a registry with a port",
            everyContainer.contains { (try? ImageReference.parse($0.image ?? ""))?.registry.contains(":") == true })
    }

    // MARK: Specific files

    @Test func multiDocumentFiles() {
        let three = Self.load("multi-document-three-pods.yaml")
        #expect(three.pods.map(\.pod.metadata.name) == ["stack-db", "stack-cache", "stack-web"])
        #expect(three.pods.map(\.document) == [0, 1, 2])
        #expect(three.pods.map { $0.pod.metadata.labels?["role"] } == ["db", "cache", "web"])
        // A leading `---` starts the first document; a trailing one adds an empty, silent one.
        let separated = Self.load("multi-document-separators-and-comments.yaml")
        #expect(separated.pods.map(\.pod.metadata.name) == ["batch-extract", "batch-load"])
        #expect(separated.pods.map(\.document) == [0, 1])
        #expect(separated.warnings.isEmpty)
    }

    @Test func flowStyleWithTrailingCommasAndComments() throws {
        let p = try Self.pod("flow-style-with-trailing-commas.yaml")
        #expect(p.metadata.name == "flow-style")
        #expect(p.metadata.labels == ["app": "flow"])
        #expect(p.spec.restartPolicy == "OnFailure")
        #expect(p.spec.containers.first?.command == ["printf"])
        #expect(p.spec.containers.first?.args == ["%s\n", "one", "two"])
    }

    @Test func blockScalars() throws {
        let p = try Self.pod("block-scalar-scripts.yaml")
        #expect(p.spec.containers[0].args == ["set -euo pipefail\nfor i in 1 2 3; do\n  echo \"step $i\"\ndone\n"])
        #expect(p.spec.containers[1].command == ["bash", "-c", "echo this line and this one are one command"])
    }

    @Test func octalFileModes() throws {
        // YAML 1.1 reads 0644 as octal, as sigs.k8s.io/yaml does: 420 in JSON.
        let relay = JSONValue.object(try Self.pod("volumes-configmap-and-secret.yaml").spec.other).array("volumes")
        #expect(relay[0].object("configMap")?.array("items").first?.integer("mode") == 0o644)
        #expect(relay[1].object("secret")?.integer("defaultMode") == 0o400)
        let projected = JSONValue.object(try Self.pod("volumes-projected.yaml").spec.other).array("volumes")
        #expect(projected[0].object("projected")?.integer("defaultMode") == 0o440)
        // Defaulted: a secret volume with no mode gets 0644.
        let ledger = JSONValue.object(try Self.pod("volumes-persistent-claim.yaml").spec.other).array("volumes")
        #expect(ledger[1].object("secret")?.integer("defaultMode") == 420)
    }

    @Test func probesOfEachKind() throws {
        let catalog = try Self.pod("probe-http-get.yaml").spec.containers[0]
        let liveness = try #require(catalog.livenessProbe)
        #expect(
            liveness.handler
                == .httpGet(
                    .init(
                        path: "/healthz", port: .name("http"),
                        httpHeaders: [.init(name: "X-Probe", value: "liveness")])))
        #expect((liveness.initialDelaySeconds, liveness.periodSeconds, liveness.timeoutSeconds) == (5, 15, 2))
        #expect(catalog.readinessProbe?.handler == .httpGet(.init(path: "/ready", port: .number(8443), scheme: "HTTPS")))
        #expect(catalog.readinessProbe?.successThreshold == 2)
        #expect(catalog.containerPort(named: "http") == 8080)

        let broker = try Self.pod("probe-tcp-socket.yaml").spec.containers[0]
        #expect(broker.readinessProbe?.handler == .tcpSocket(host: nil, port: .name("amqp")))
        #expect(broker.livenessProbe?.handler == .tcpSocket(host: nil, port: .number(5672)))

        let grpc = try Self.pod("probe-grpc.yaml").spec.containers[0]
        #expect(grpc.livenessProbe?.handler == .grpc(port: 9090, service: nil))
        #expect(grpc.readinessProbe?.handler == .grpc(port: 9090, service: "inventory.v1.Inventory"))

        let ticker = try Self.pod("probe-exec.yaml").spec.containers[0]
        guard case .exec(let command)? = ticker.livenessProbe?.handler else {
            Issue.record("no exec probe: \(String(describing: ticker.livenessProbe))")
            return
        }
        #expect(command.prefix(2) == ["sh", "-c"])
        #expect(ticker.livenessProbe?.failureThreshold == 2)

        let search = try Self.pod("probe-startup-slow-boot.yaml").spec.containers[0]
        #expect(search.startupProbe?.failureThreshold == 30)
        #expect(search.livenessProbe?.terminationGracePeriodSeconds == 30)

        let sidecar = try #require(try Self.pod("native-sidecar-log-forwarder.yaml").spec.initContainers?.first)
        #expect(sidecar.other["restartPolicy"] == .string("Always"))
        #expect(sidecar.startupProbe?.handler == .tcpSocket(host: nil, port: .number(2020)))
    }

    @Test func inPlaceUpdateGateAndAnnotations() throws {
        let p = try Self.pod("readiness-gates-inplace.yaml")
        #expect(p.spec.readinessGates?.map(\.conditionType) == [WellKnown.inPlaceUpdateReady, "shop.example.com/warmed-up"])
        #expect(p.metadata.annotations?[WellKnown.graceSecondsAnnotation] == "10")
        #expect(p.metadata.annotations?[WellKnown.updatePolicyAnnotation] == WellKnown.inPlaceIfPossible)
    }

    @Test func hostNetworkPortsAndDNS() throws {
        let p = try Self.pod("host-network-agent.yaml")
        #expect(p.spec.hostNetwork == true)
        #expect(p.spec.other["dnsPolicy"] == .string("ClusterFirstWithHostNet"))
        #expect(p.spec.containers[0].containerPort(named: "metrics") == 9100)
        let custom = try Self.pod("dns-config-and-host-aliases.yaml")
        #expect(custom.spec.other["dnsPolicy"] == .string("None"))
        #expect(custom.spec.other["dnsConfig"]?.array("nameservers").count == 2)
    }

    @Test func defaultsFilledAndExplicitValuesKept() throws {
        let basic = try Self.pod("basic-single-container.yaml")
        #expect(basic.spec.restartPolicy == "Always")
        #expect(basic.spec.terminationGracePeriodSeconds == 30)
        #expect(basic.spec.containers[0].imagePullPolicy == "IfNotPresent")
        #expect(basic.spec.containers[0].terminationMessagePolicy == "File")
        #expect(JSONValue.object(basic.spec.containers[0].other).array("ports").first?.string("protocol") == "TCP")

        let batch = try Self.pod("batch-run-to-completion.yaml")
        #expect(batch.spec.restartPolicy == "OnFailure")
        #expect(batch.spec.activeDeadlineSeconds == 900)
        #expect(batch.spec.terminationGracePeriodSeconds == 10)
        #expect(batch.spec.containers[0].terminationMessagePolicy == "FallbackToLogsOnError")
        #expect(batch.spec.containers[0].workingDir == "/work")

        let privateTools = try Self.pod("private-registry-pull-secret.yaml").spec.containers
        #expect(privateTools.map(\.imagePullPolicy) == ["Always", "IfNotPresent"])
    }

    @Test func jsonManifests() throws {
        let job = try Self.pod("json-batch-job.json")
        #expect(job.spec.activeDeadlineSeconds == 1800)
        #expect(job.spec.restartPolicy == "OnFailure")
        #expect(job.metadata.annotations == ["reports.acme.io/schedule": "0 2 * * *"])
        let site = try Self.pod("json-web-with-volume.json")
        #expect(site.spec.containers[0].readinessProbe?.handler == .httpGet(.init(path: "/", port: .name("http"))))
        #expect(site.spec.containers[0].containerPort(named: "https") == 443)
    }

    @Test func environmentIsKeptAsWritten() throws {
        // $(VAR) references are expanded by the runtime side, not by the loader.
        let env = JSONValue.object(try Self.pod("env-dependent-variables.yaml").spec.containers[0].other).array("env")
        #expect(
            env.map { $0.string("value") } == ["orders.shop.svc", "8080", "http://$(SERVICE_HOST):$(SERVICE_PORT)/v1", "$$(NOT_EXPANDED)"])
        let reporter = JSONValue.object(try Self.pod("env-values-and-field-refs.yaml").spec.containers[0].other).array("env")
        #expect(reporter.first { $0.string("name") == "EMPTY_ON_PURPOSE" }?.string("value") == "")
        // Defaulted as the API server does: a fieldRef gets apiVersion v1.
        #expect(reporter.first { $0.string("name") == "MY_POD_IP" }?.object("valueFrom")?.object("fieldRef")?.string("apiVersion") == "v1")
    }

    @Test func anchorsShareSettingsBetweenContainers() throws {
        let c = try Self.pod("yaml-anchors-shared-settings.yaml").spec.containers
        #expect(c[0].other["resources"] == c[1].other["resources"])
        #expect(c[0].other["env"] == c[1].other["env"])
        #expect(c.map(\.args) == [["--queue", "a"], ["--queue", "b"]])
    }
}
