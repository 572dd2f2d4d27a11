/// SplitMix64: a small deterministic generator whose sequence depends only on its seed, on every
/// platform and Swift version (the standard library's `random(in:using:)` helpers are not
/// promised to stay the same, so none are used).
public struct FuzzRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator started from `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The generator of input `index` of a run seeded with `seed`: each input can be made again
    /// on its own, without the inputs before it.
    public init(seed: UInt64, index: UInt64) {
        var mixer = FuzzRandom(seed: seed ^ 0x6A09_E667_F3BC_C909)
        state = mixer.next() ^ (index &* 0x9E37_79B9_7F4A_7C15)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (0 when `n` <= 0), by multiply-shift.
    public mutating func below(_ n: Int) -> Int {
        guard n > 0 else { return 0 }
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A number in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True `percent` times in 100.
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A length skewed towards small values: most below 16, some up to `max`.
    public mutating func smallLength(max: Int) -> Int {
        let bits = below(max.bitWidth - max.leadingZeroBitCount + 1)
        return min(max, below(1 << bits) + 1)
    }
}
