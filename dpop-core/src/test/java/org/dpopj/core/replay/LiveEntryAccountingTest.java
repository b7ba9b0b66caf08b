package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LiveEntryAccountingTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void refusesWhenAllSlotsAreLive() {
        LiveEntryAccounting accounting = new LiveEntryAccounting(2, 10);
        accounting.reserve("scope-a", NOW.plusSeconds(10), NOW);
        accounting.reserve("scope-b", NOW.plusSeconds(10), NOW);

        assertThat(accounting.reserve("scope-c", NOW.plusSeconds(10), NOW)).isNull();
    }

    @Test
    void freesExactlyTheSlotsThatHaveExpired() {
        LiveEntryAccounting accounting = new LiveEntryAccounting(2, 10);
        accounting.reserve("scope-a", NOW.plusSeconds(20), NOW);
        accounting.reserve("scope-a", NOW.plusSeconds(10), NOW);
        Instant later = NOW.plusSeconds(10);

        assertThat(accounting.reserve("scope-b", later.plusSeconds(10), later)).isNotNull();
        assertThat(accounting.reserve("scope-c", later.plusSeconds(10), later)).isNull();
    }

    @Test
    void freesTheScopeCountOfExpiredSlots() {
        LiveEntryAccounting accounting = new LiveEntryAccounting(10, 1);
        accounting.reserve("scope-a", NOW.plusSeconds(10), NOW);
        assertThat(accounting.reserve("scope-a", NOW.plusSeconds(10), NOW)).isNull();
        Instant later = NOW.plusSeconds(10);

        assertThat(accounting.reserve("scope-a", later.plusSeconds(10), later)).isNotNull();
    }

    @Test
    void releasingASlotTwiceFreesItOnce() {
        LiveEntryAccounting accounting = new LiveEntryAccounting(2, 2);
        LiveEntryAccounting.Slot slot = accounting.reserve("scope-a", NOW.plusSeconds(10), NOW);
        accounting.reserve("scope-a", NOW.plusSeconds(10), NOW);

        accounting.release(slot);
        accounting.release(slot);

        assertThat(accounting.reserve("scope-a", NOW.plusSeconds(10), NOW)).isNotNull();
        assertThat(accounting.reserve("scope-a", NOW.plusSeconds(10), NOW)).isNull();
    }

    @Test
    void keepsSlotsWithTheSameExpiryApart() {
        LiveEntryAccounting accounting = new LiveEntryAccounting(3, 3);
        LiveEntryAccounting.Slot first = accounting.reserve("scope-a", NOW.plusSeconds(10), NOW);
        accounting.reserve("scope-a", NOW.plusSeconds(10), NOW);

        accounting.release(first);

        assertThat(accounting.reserve("scope-a", NOW.plusSeconds(10), NOW)).isNotNull();
        assertThat(accounting.reserve("scope-a", NOW.plusSeconds(10), NOW)).isNotNull();
        assertThat(accounting.reserve("scope-a", NOW.plusSeconds(10), NOW)).isNull();
    }
}
