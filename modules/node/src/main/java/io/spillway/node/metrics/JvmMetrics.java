package io.spillway.node.metrics;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;

/** Registers the JVM and process basics (heap, GC, threads, uptime, file descriptors, CPU). */
public final class JvmMetrics {
    private JvmMetrics() {
    }

    public static void register(MetricsRegistry registry) {
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

        registry.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.",
            () -> runtime.getStartTime() / 1000.0);
        registry.gauge("process_uptime_seconds", "Time since the JVM started, in seconds.",
            () -> runtime.getUptime() / 1000.0);
        if (os instanceof UnixOperatingSystemMXBean unix) {
            registry.gauge("process_open_fds", "Open file descriptors.", unix::getOpenFileDescriptorCount);
            registry.gauge("process_max_fds", "Limit on open file descriptors (RLIMIT_NOFILE).",
                unix::getMaxFileDescriptorCount);
        }
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            registry.counterDouble("process_cpu_seconds_total", "User and system CPU time used, in seconds.",
                Labels.NONE, () -> sun.getProcessCpuTime() / 1e9);
        }
        registry.gauge("jvm_memory_heap_used_bytes", "Heap in use, in bytes.",
            () -> memory.getHeapMemoryUsage().getUsed());
        registry.gauge("jvm_memory_heap_committed_bytes", "Heap committed by the OS, in bytes.",
            () -> memory.getHeapMemoryUsage().getCommitted());
        registry.gauge("jvm_memory_heap_max_bytes", "Maximum heap (-Xmx), in bytes; -1 when undefined.",
            () -> memory.getHeapMemoryUsage().getMax());
        registry.gauge("jvm_memory_nonheap_used_bytes", "Non-heap memory in use (metaspace, code cache), in bytes.",
            () -> memory.getNonHeapMemoryUsage().getUsed());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            Labels labels = Labels.of("gc", gc.getName());
            registry.counter("jvm_gc_collections_total", "Garbage collections, by collector.", labels,
                () -> Math.max(0, gc.getCollectionCount()));
            registry.counterDouble("jvm_gc_collection_seconds_total",
                "Time spent in garbage collection, by collector, in seconds.", labels,
                () -> Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
        registry.gauge("jvm_threads_current", "Live threads.", threads::getThreadCount);
        registry.gauge("jvm_threads_daemon", "Live daemon threads.", threads::getDaemonThreadCount);
        registry.gauge("jvm_threads_peak", "Peak live threads since start.", threads::getPeakThreadCount);
        registry.gauge("jvm_info", "JVM version and vendor, as labels.",
            Labels.of("version", runtime.getVmVersion(), "vendor", runtime.getVmVendor()), () -> 1);
    }
}
