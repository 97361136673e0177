import CShims

/// The process's heap as the operating system sees it.
public enum ProcessMemory {
    /// Returns the heap's free pages to the operating system (glibc's `malloc_trim`), so that the resident size after
    /// a large transient load (a tenant's whole history read, then learned) is what is kept, not the peak. It costs a
    /// walk of the heap: call it after such a load, not per request. Does nothing where there is no glibc.
    public static func returnFreePages() {
        _ = cshims_malloc_trim()
    }
}
