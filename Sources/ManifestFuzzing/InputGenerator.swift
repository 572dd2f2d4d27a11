/// One generated input: the bytes of a manifest file, the name it is loaded under (the
/// extension picks the parser) and how it was made.
public struct FuzzInput: Sendable {
    public var bytes: [UInt8]
    /// `fuzz.yaml`, `fuzz.yml` or `fuzz.json`.
    public var fileName: String
    /// The strategy and mutations that made it, e.g. `struct(builtin:rich.yaml: wrong-type, tag)`.
    public var recipe: String

    public init(bytes: [UInt8], fileName: String, recipe: String) {
        self.bytes = bytes
        self.fileName = fileName
        self.recipe = recipe
    }
}

/// Makes the inputs of a fuzzing run. Input `n` of a run depends only on the seed, `n` and the
/// corpus, so any input can be made again alone (`inplaced-fuzz --seed S --dump N`).
///
/// Each input is one of:
/// - a seed's parsed tree mutated 1 to 4 times (`StructureMutator`), written as YAML (block,
///   with some flow) or JSON, with 1 to 6 documents, sometimes then byte-mutated (about 40%);
/// - a seed's bytes mutated 1 to 8 times (`ByteMutator`) (about 40%);
/// - a document built to hit a limit (`HostileDocuments`), sometimes byte-mutated (about 12%);
/// - several seeds joined as one multi-document file, then mutated (about 8%).
///
/// Inputs are cut to `typicalCap` bytes (64 KiB), except one in `largeEvery` (500) that may
/// reach `largeCap` (1 MiB).
public struct InputGenerator: Sendable {
    public let seeds: [FuzzSeed]
    public let seed: UInt64
    public var typicalCap: Int
    public var largeCap: Int
    /// One input in this many gets `largeCap`; 0 for never.
    public var largeEvery: Int

    /// The most nodes a mutated document may have, so that making an input stays cheap.
    static let maxTreeNodes = 30_000

    /// Parsed trees of the seeds that parse, and their seed indices.
    private let trees: [(seed: Int, documents: [FuzzNode])]
    /// Every tree's documents, as donors for grafts.
    private let donorDocuments: [FuzzNode]

    public init(seeds: [FuzzSeed], seed: UInt64, typicalCap: Int = 64 << 10, largeCap: Int = 1 << 20, largeEvery: Int = 500) {
        self.seeds = seeds.isEmpty ? SeedCorpus.builtIn : seeds
        self.seed = seed
        self.typicalCap = typicalCap
        self.largeCap = largeCap
        self.largeEvery = largeEvery
        trees = self.seeds.enumerated().compactMap { $0.element.documents.isEmpty ? nil : ($0.offset, $0.element.documents) }
        donorDocuments = trees.flatMap(\.documents)
    }

    /// Input number `index` of the run.
    public func input(at index: UInt64) -> FuzzInput {
        var rng = FuzzRandom(seed: seed, index: index)
        let cap = rng.below(max(1, largeEvery)) == 0 && largeEvery > 0 ? largeCap : typicalCap
        var input: FuzzInput
        let strategy = rng.below(100)
        if strategy < 40 && !trees.isEmpty {
            input = structural(cap: cap, &rng)
        } else if strategy < 80 {
            input = byteLevel(cap: cap, &rng)
        } else if strategy < 92 {
            input = hostile(cap: cap, &rng)
        } else {
            input = joined(cap: cap, &rng)
        }
        if input.bytes.count > cap {
            input.bytes.removeSubrange(cap...)
            input.recipe += " cut"
        }
        return input
    }

    private func fileName(json: Bool, _ rng: inout FuzzRandom) -> String {
        if json { return rng.chance(90) ? "fuzz.json" : "fuzz.yaml" }
        return rng.chance(3) ? "fuzz.json" : (rng.chance(10) ? "fuzz.yml" : "fuzz.yaml")
    }

    private func structural(cap: Int, _ rng: inout FuzzRandom) -> FuzzInput {
        let (seedIndex, documents) = rng.pick(trees)
        let source = seeds[seedIndex]
        var docs = documents
        // Sometimes several documents: the seed's, repeated, or another seed's.
        if rng.chance(25) {
            for _ in 0..<rng.int(in: 1...5) { docs.append(rng.chance(50) ? rng.pick(docs) : rng.pick(donorDocuments)) }
        }
        var applied: [String] = []
        for _ in 0..<rng.int(in: 1...4) {
            let d = rng.below(docs.count)
            let which = rng.below(StructureMutator.names.count)
            let before = docs[d]
            StructureMutator.mutate(&docs[d], which: which, donors: donorDocuments, rng: &rng)
            // Repeating a list item 1,000 times inside one repeated 1,000 times would make a tree
            // (and a text) of millions of nodes before the cut: past 30,000 nodes, undone.
            if docs[d].count > Self.maxTreeNodes {
                docs[d] = before
                applied.append(StructureMutator.names[which] + " (undone: too large)")
            } else {
                applied.append(StructureMutator.names[which])
            }
        }
        let json = source.isJSON && docs.count == 1 && rng.chance(80)
        var text: String
        if json {
            text = FuzzEmitter.flow(docs[0])
        } else {
            let style = FuzzEmitter.Style.random(&rng)
            text = ""
            for (i, doc) in docs.enumerated() {
                text += FuzzEmitter.yaml(doc, style: style, explicitStart: i > 0 || rng.chance(20), rng: &rng)
                if rng.chance(5) { text += "...\n" }
                if text.utf8.count > cap { break }
            }
        }
        var bytes = Array(text.utf8)
        var recipe = "struct(\(source.name): \(applied.joined(separator: ", ")))"
        if rng.chance(40) { recipe += " " + mutateBytes(&bytes, cap: cap, max: 3, &rng) }
        return FuzzInput(bytes: bytes, fileName: fileName(json: json, &rng), recipe: recipe)
    }

    private func byteLevel(cap: Int, _ rng: inout FuzzRandom) -> FuzzInput {
        let source = rng.pick(seeds)
        var bytes = source.bytes
        let recipe = "bytes(\(source.name)) " + mutateBytes(&bytes, cap: cap, max: 8, &rng)
        return FuzzInput(bytes: bytes, fileName: fileName(json: source.isJSON, &rng), recipe: recipe)
    }

    private func hostile(cap: Int, _ rng: inout FuzzRandom) -> FuzzInput {
        let kind = rng.below(HostileDocuments.kinds.count)
        var (bytes, json) = HostileDocuments.make(kind: kind, cap: cap, rng: &rng)
        var recipe = "hostile(\(HostileDocuments.kinds[kind]))"
        if rng.chance(25) { recipe += " " + mutateBytes(&bytes, cap: cap, max: 2, &rng) }
        return FuzzInput(bytes: bytes, fileName: fileName(json: json, &rng), recipe: recipe)
    }

    private func joined(cap: Int, _ rng: inout FuzzRandom) -> FuzzInput {
        var bytes: [UInt8] = []
        var names: [String] = []
        for _ in 0..<rng.int(in: 2...6) {
            let s = rng.pick(seeds)
            names.append(s.name)
            if !bytes.isEmpty { bytes += Array(rng.pick(["---\n", "\n---\n", "...\n---\n", "--- ", "---\n---\n"]).utf8) }
            bytes += s.bytes
            if bytes.count > cap { break }
        }
        let recipe = "joined(\(names.joined(separator: ", "))) " + mutateBytes(&bytes, cap: cap, max: 3, &rng)
        return FuzzInput(bytes: bytes, fileName: fileName(json: false, &rng), recipe: recipe)
    }

    private func mutateBytes(_ bytes: inout [UInt8], cap: Int, max: Int, _ rng: inout FuzzRandom) -> String {
        var applied: [String] = []
        for _ in 0..<rng.int(in: 1...max) {
            let which = rng.below(ByteMutator.names.count)
            ByteMutator.mutate(&bytes, which: which, donors: seeds, cap: cap, rng: &rng)
            applied.append(ByteMutator.names[which])
        }
        return "bytes: " + applied.joined(separator: ", ")
    }
}
