package io.spillway.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.cluster.LocalCluster.Member;
import io.spillway.node.overflow.OverflowDecision;
import io.spillway.node.overflow.OverflowOutcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A burst of initial INVITEs decided at once by the overflow policy of one {@link LocalCluster}
 * member, from several threads released together, tallied by outcome and by the node that took
 * each call. Shared by the burst ITs, which differ only in the cluster's timers and what they accept.
 */
final class InviteBurst {
    /** What the burst produced; {@code counters} is every member's cluster counters, for messages. */
    record Result(Map<String, Integer> byNode, Map<OverflowOutcome, Integer> byOutcome, long tookMs,
                  String counters) {
        int count(OverflowOutcome outcome) {
            return byOutcome.getOrDefault(outcome, 0);
        }

        /** Calls placed somewhere: admitted locally or redirected to a peer. */
        int accepted() {
            return count(OverflowOutcome.LOCAL) + count(OverflowOutcome.REDIRECTED);
        }

        String report() {
            return "placed " + byNode + ", outcomes " + byOutcome + " in " + tookMs + " ms" + counters;
        }
    }

    private InviteBurst() {
    }

    /**
     * Decides {@code invites} INVITEs (Call-IDs {@code <name>-<i>}) on member 0 from {@code threads}
     * threads, waiting at most {@code decisionTimeoutSec} for each decision.
     */
    static Result run(LocalCluster c, int invites, int threads, String name, long decisionTimeoutSec)
        throws Exception {
        Member entry = c.member(0);
        List<CompletableFuture<OverflowDecision>> decisions = new ArrayList<>();
        for (int i = 0; i < invites; i++) {
            decisions.add(new CompletableFuture<>());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread sender = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = first; i < invites; i += threads) {
                    CompletableFuture<OverflowDecision> slot = decisions.get(i);
                    entry.cluster().policy().decide(Invites.parse("sip:bob@" + entry.sipHostPort(), name + "-" + i))
                        .whenComplete((d, e) -> {
                            if (e != null) {
                                slot.completeExceptionally(e);
                            } else {
                                slot.complete(d);
                            }
                        });
                }
            }, name + "-burst-" + t);
            senders.add(sender);
            sender.start();
        }
        long startNs = System.nanoTime();
        go.countDown();
        for (Thread s : senders) {
            s.join(30_000);
        }
        Map<String, Integer> byNode = new HashMap<>();
        Map<OverflowOutcome, Integer> byOutcome = new EnumMap<>(OverflowOutcome.class);
        for (CompletableFuture<OverflowDecision> f : decisions) {
            OverflowDecision d = f.get(decisionTimeoutSec, TimeUnit.SECONDS);
            byOutcome.merge(d.outcome(), 1, Integer::sum);
            if (d instanceof OverflowDecision.Redirect r) {
                byNode.merge(r.nodeId(), 1, Integer::sum);
            } else if (d instanceof OverflowDecision.Admit) {
                byNode.merge(entry.id(), 1, Integer::sum);
            }
        }
        long tookMs = (System.nanoTime() - startNs) / 1_000_000L;
        StringBuilder counters = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            counters.append('\n').append(c.member(i).id()).append(' ')
                .append(c.member(i).cluster().clusterNode().counters().snapshot());
        }
        return new Result(byNode, byOutcome, tookMs, counters.toString());
    }

    /** Every member holds exactly its limit (admitting plus reserved), placed that many, and is full. */
    static void assertEveryMemberFull(LocalCluster c, long[] maxCalls, Result r) {
        for (int i = 0; i < c.size(); i++) {
            Member m = c.member(i);
            long held = m.cluster().admissions().pending() + m.cluster().clusterNode().reservedCalls();
            assertEquals(maxCalls[i], held, m.id() + " holds exactly its limit, never more: " + r.report());
            assertEquals((int) maxCalls[i], r.byNode().getOrDefault(m.id(), 0), m.id() + ": " + r.report());
            assertTrue(m.cluster().overThreshold(), m.id() + " is full");
        }
    }
}
