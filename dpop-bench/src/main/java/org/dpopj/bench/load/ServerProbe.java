package org.dpopj.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import com.sun.management.OperatingSystemMXBean;
import com.sun.tools.attach.VirtualMachine;

/**
 * Reads the server JVM's heap and CPU time while the load runs, through the JDK's attach API and the
 * local JMX agent it starts in that JVM (same user, same machine, no port opened): the heap after the
 * latest collection (no pause added), the heap after a full collection it forces (one pause), and
 * the process's CPU time, so that the server's CPU per request can be set beside the latency. When
 * no process id is given, every reading is absent. Not thread-safe: one reader thread.
 */
public final class ServerProbe implements AutoCloseable {

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final OperatingSystemMXBean os;
    private final List<GarbageCollectorMXBean> collectors;

    private ServerProbe(JMXConnector connector, MemoryMXBean memory, OperatingSystemMXBean os,
            List<GarbageCollectorMXBean> collectors) {
        this.connector = connector;
        this.memory = memory;
        this.os = os;
        this.collectors = collectors;
    }

    /** @param pid the server's process id, or 0 for none */
    public static ServerProbe attach(long pid) throws Exception {
        if (pid <= 0) {
            return new ServerProbe(null, null, null, List.of());
        }
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection server = connector.getMBeanServerConnection();
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        OperatingSystemMXBean os = ManagementFactory.newPlatformMXBeanProxy(server,
                ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME, OperatingSystemMXBean.class);
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getPlatformMXBeans(server, GarbageCollectorMXBean.class);
        return new ServerProbe(connector, memory, os, collectors);
    }

    /** @return whether readings are taken */
    public boolean present() {
        return connector != null;
    }

    /** @return the server's CPU time so far, in nanoseconds, or -1 */
    public long cpuNanos() {
        return os == null ? -1 : os.getProcessCpuTime();
    }

    /** @return heap used after the most recent collection (of any kind), in bytes, or -1 */
    public long heapAfterLastGc() {
        GcInfo latest = null;
        for (GarbageCollectorMXBean collector : collectors) {
            GcInfo info = collector.getLastGcInfo();
            if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                latest = info;
            }
        }
        if (latest == null) {
            return -1;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
            if (!pool.getKey().contains("Metaspace") && !pool.getKey().contains("Code")
                    && !pool.getKey().contains("Compressed Class")) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }

    /** @return heap used right after a full collection this call forces, in bytes, or -1 */
    public long heapAfterFullGc() {
        if (memory == null) {
            return -1;
        }
        memory.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        long afterGc = heapAfterLastGc();
        // with -XX:+ExplicitGCInvokesConcurrent the call returns before the heap is collected
        return afterGc > 0 ? Math.min(used, afterGc) : used;
    }

    @Override
    public void close() throws Exception {
        if (connector != null) {
            connector.close();
        }
    }
}
