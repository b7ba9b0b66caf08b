package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.dpopj.core.spi.ReplayStore;
import org.junit.jupiter.api.Test;

class LiveEntryAccountingTest {

    private static final long NOW = 1_772_359_200_000L;
    private static final long TEN_SECONDS = 10_000;

    private final List<Object> forgotten = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();
    private final LiveEntryAccounting.Watcher watcher = new LiveEntryAccounting.Watcher() {
        @Override
        public void nearlyFull(int live, int maxEntries) {
            reports.add("nearly full " + live + "/" + maxEntries);
        }

        @Override
        public void clearAgain(int live, int maxEntries) {
            reports.add("clear " + live + "/" + maxEntries);
        }
    };

    private LiveEntryAccounting accounting(int maxEntries, int maxPerScope) {
        return new LiveEntryAccounting(maxEntries, maxPerScope, forgotten::add, watcher);
    }

    private static void record(LiveEntryAccounting accounting, String scope, String key, long expiresAt, long now) {
        accounting.recorded(accounting.reserve(scope, now), key, expiresAt);
    }

    @Test
    void anInsertFilesTheEntryAReplayOrAFailureGivesThePlaceBackAndAFullStoreNeverInserts() {
        LiveEntryAccounting accounting = accounting(2, 10);
        List<String> inserted = new ArrayList<>();

        assertThat(accounting.insert("s", NOW, "k1", NOW + TEN_SECONDS, () -> inserted.add("k1")))
                .isEqualTo(ReplayStore.Outcome.FIRST_USE);
        assertThat(accounting.insert("s", NOW, "k1", NOW + TEN_SECONDS, () -> false))
                .isEqualTo(ReplayStore.Outcome.REPLAYED);
        assertThatThrownBy(() -> accounting.insert("s", NOW, "k2", NOW + TEN_SECONDS, () -> {
            throw new IllegalStateException("cache down");
        })).hasMessage("cache down");
        assertThat(accounting.live()).isEqualTo(1);

        assertThat(accounting.insert("s", NOW, "k3", NOW + TEN_SECONDS, () -> inserted.add("k3")))
                .isEqualTo(ReplayStore.Outcome.FIRST_USE);
        assertThat(accounting.insert("s", NOW, "k4", NOW + TEN_SECONDS, () -> inserted.add("k4")))
                .isEqualTo(ReplayStore.Outcome.REFUSED);
        assertThat(inserted).containsExactly("k1", "k3");
    }

    @Test
    void refusesWhenAllSlotsAreLive() {
        LiveEntryAccounting accounting = accounting(2, 10);
        record(accounting, "scope-a", "k1", NOW + TEN_SECONDS, NOW);
        record(accounting, "scope-b", "k2", NOW + TEN_SECONDS, NOW);

        assertThat(accounting.reserve("scope-c", NOW)).isNull();
    }

    @Test
    void countsReservationsNotYetRecordedAsLive() {
        LiveEntryAccounting accounting = accounting(1, 10);
        accounting.reserve("scope-a", NOW);

        assertThat(accounting.reserve("scope-b", NOW)).isNull();
    }

    @Test
    void freesExactlyTheSlotsThatHaveExpired() {
        LiveEntryAccounting accounting = accounting(2, 10);
        record(accounting, "scope-a", "k1", NOW + TEN_SECONDS, NOW);
        record(accounting, "scope-a", "k2", NOW + 2 * TEN_SECONDS, NOW);
        long later = NOW + TEN_SECONDS;

        assertThat(accounting.reserve("scope-b", later)).isNotNull();
        assertThat(accounting.reserve("scope-c", later)).isNull();
    }

    @Test
    void forgetsTheKeyOfEveryExpiredEntryAndOnlyThose() {
        LiveEntryAccounting accounting = accounting(10, 10);
        record(accounting, "scope-a", "k1", NOW + TEN_SECONDS, NOW);
        record(accounting, "scope-b", "k2", NOW + TEN_SECONDS, NOW);
        record(accounting, "scope-a", "k3", NOW + 3 * TEN_SECONDS, NOW);

        accounting.reserve("scope-c", NOW + TEN_SECONDS);

        assertThat(forgotten).containsExactly("k1", "k2");
    }

    @Test
    void freesTheScopeCountOfExpiredSlots() {
        LiveEntryAccounting accounting = accounting(10, 1);
        record(accounting, "scope-a", "k1", NOW + TEN_SECONDS, NOW);
        assertThat(accounting.reserve("scope-a", NOW)).isNull();

        assertThat(accounting.reserve("scope-a", NOW + TEN_SECONDS)).isNotNull();
    }

    @Test
    void cancellingAReservationFreesItsPlace() {
        LiveEntryAccounting accounting = accounting(2, 2);
        LiveEntryAccounting.Reservation first = accounting.reserve("scope-a", NOW);
        accounting.reserve("scope-a", NOW);

        accounting.cancel(first);

        assertThat(accounting.reserve("scope-a", NOW)).isNotNull();
        assertThat(accounting.reserve("scope-a", NOW)).isNull();
    }

    @Test
    void keepsEveryEntryWhenTheRingGrowsPastItsFirstSize() {
        LiveEntryAccounting accounting = accounting(5000, 5000);
        for (int i = 0; i < 3000; i++) {
            record(accounting, "scope-" + (i % 7), "k" + i, NOW + TEN_SECONDS + i, NOW);
        }

        accounting.reserve("scope-x", NOW + TEN_SECONDS + 2999);

        assertThat(forgotten).hasSize(3000).startsWith("k0", "k1").endsWith("k2999");
        assertThat(accounting.live()).isEqualTo(1);
    }

    @Test
    void warnsOnceWhenCrossingEightyPercentOfTheBound() {
        LiveEntryAccounting accounting = accounting(10, 10);
        for (int i = 0; i < 10; i++) {
            record(accounting, "scope-a", "k" + i, NOW + TEN_SECONDS, NOW);
        }
        accounting.reserve("scope-a", NOW);

        assertThat(reports).containsExactly("nearly full 8/10");
    }

    @Test
    void warnsAgainOnlyAfterFallingBelowSeventyPercent() {
        LiveEntryAccounting accounting = accounting(10, 10);
        for (int i = 0; i < 8; i++) {
            record(accounting, "scope-a", "early" + i, NOW + TEN_SECONDS, NOW);
        }
        for (int i = 0; i < 2; i++) {
            record(accounting, "scope-a", "late" + i, NOW + 3 * TEN_SECONDS, NOW);
        }
        long later = NOW + TEN_SECONDS;
        for (int i = 0; i < 6; i++) {
            record(accounting, "scope-a", "again" + i, later + TEN_SECONDS * 5, later);
        }

        assertThat(reports).containsExactly("nearly full 8/10", "clear 2/10", "nearly full 8/10");
    }

    @Test
    void withoutForgetKeepsNoKeysAndStillFreesExpiredSlotsAfterGrowing() {
        LiveEntryAccounting accounting = new LiveEntryAccounting(2000, 2000, null, watcher);
        for (int i = 0; i < 1500; i++) {
            accounting.recorded(accounting.reserve("scope-" + (i % 3), NOW), null, NOW + TEN_SECONDS);
        }

        assertThat(accounting.reserve("scope-x", NOW + TEN_SECONDS)).isNotNull();
        assertThat(accounting.live()).isEqualTo(1);
    }

    @Test
    void withoutForgetRefusesToFileAKey() {
        LiveEntryAccounting accounting = new LiveEntryAccounting(10, 10, null, watcher);
        LiveEntryAccounting.Reservation slot = accounting.reserve("scope-a", NOW);

        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> accounting.recorded(slot, "k1", NOW + TEN_SECONDS));
    }
}
