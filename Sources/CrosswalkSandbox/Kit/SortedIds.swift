import Foundation

/// Look-ups in the ascending id arrays the emulators keep beside their records.
extension Array where Element == Int {
    /// The index of `value` in this ascending array.
    func binarySearch(_ value: Int) -> Int? {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value ? low : nil
    }
}
