package io.spillway.cluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReplayTableTest {
    private static final long WINDOW_MS = 1_000;

    @Test
    void retransmissionWithNewerTimestampIsNotAReplay() {
        final ReplayTable table = new ReplayTable(WINDOW_MS, 64, 0);
        final int tag = ReplayTable.tag(2, MessageType.CONNECT, 0);
        assertEquals(ReplayTable.FRESH, table.check(7, tag, 100, 0));
        assertEquals(ReplayTable.REPLAY, table.check(7, tag, 100, 1));
        assertEquals(ReplayTable.RETRANSMISSION, table.check(7, tag, 101, 1));
        assertEquals(ReplayTable.REPLAY, table.check(7, tag, 100, 2));
        assertEquals(ReplayTable.REPLAY, table.check(7, tag, 101, 2));
    }

    @Test
    void keysAreSenderTypeAndRequestId() {
        final ReplayTable table = new ReplayTable(WINDOW_MS, 64, 0);
        assertEquals(ReplayTable.FRESH, table.check(7, ReplayTable.tag(2, MessageType.CONNECT, 0), 100, 0));
        assertEquals(ReplayTable.FRESH, table.check(7, ReplayTable.tag(3, MessageType.CONNECT, 0), 100, 0));
        assertEquals(ReplayTable.FRESH, table.check(7, ReplayTable.tag(2, MessageType.ACCEPT, 0), 100, 0));
        assertEquals(ReplayTable.FRESH, table.check(8, ReplayTable.tag(2, MessageType.CONNECT, 0), 100, 0));
        assertEquals(ReplayTable.FRESH, table.check(7, ReplayTable.tag(2, MessageType.ACK, MessageType.CONNECT), 100, 0));
        assertEquals(ReplayTable.FRESH, table.check(7, ReplayTable.tag(2, MessageType.ACK, MessageType.ACCEPT), 100, 0));
        assertEquals(6, table.size());
    }

    @Test
    void entriesOutliveTwoWindowsThenGo() {
        final ReplayTable table = new ReplayTable(WINDOW_MS, 64, 0);
        final int tag = ReplayTable.tag(2, MessageType.LOAD, 0);
        table.check(1, tag, 500_000, 999);
        assertEquals(ReplayTable.REPLAY, table.check(1, tag, 500_000, 2_999));
        assertEquals(ReplayTable.FRESH, table.check(1, tag, 500_000, 4_000));
    }

    @Test
    void generationGrowsUpToItsCapAndKeepsEveryKey() {
        final ReplayTable table = new ReplayTable(WINDOW_MS, 16, 1 << 12, 0);
        final int tag = ReplayTable.tag(2, MessageType.CONNECT, 0);
        for (int i = 0; i < 2_048; i++) {
            assertEquals(ReplayTable.FRESH, table.check(i, tag, 5, 0), "key " + i);
        }
        assertEquals(1 << 12, table.currentCapacity());
        for (int i = 0; i < 2_048; i++) {
            assertEquals(ReplayTable.REPLAY, table.check(i, tag, 5, 1), "key " + i);
            assertEquals(ReplayTable.RETRANSMISSION, table.check(i, tag, 6, 1), "key " + i);
        }
        assertEquals(ReplayTable.FULL, table.check(99_999, tag, 5, 1));
    }

    @Test
    void fullGenerationRefusesNewKeys() {
        final ReplayTable table = new ReplayTable(WINDOW_MS, 16, 0);
        final int tag = ReplayTable.tag(2, MessageType.LOAD, 0);
        for (int i = 0; i < 16; i++) {
            assertEquals(ReplayTable.FRESH, table.check(i, tag, 1, 0));
        }
        assertEquals(ReplayTable.FULL, table.check(100, tag, 1, 0));
        assertEquals(ReplayTable.FRESH, table.check(100, tag, 1, WINDOW_MS));
    }
}
