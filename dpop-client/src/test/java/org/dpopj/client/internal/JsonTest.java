package org.dpopj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesMembersInOrderAndEscapesStrings() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", "q\"\\\n\u0001");
        value.put("a", 7L);

        assertThat(Json.write(value)).isEqualTo("{\"b\":\"q\\\"\\\\\\n\\u0001\",\"a\":7}");
    }

    @Test
    void readsATokenResponse() {
        Map<String, Object> object = Json.parseObject(
                " {\"access_token\":\"a\\u0062c\",\"expires_in\":3600,\"x\":[1,{\"y\":null}],\"ok\":true} ");

        assertThat(object).containsEntry("access_token", "abc").containsEntry("expires_in", 3600L).containsEntry("ok", true);
    }

    @Test
    void rejectsDuplicateMembersTrailingTextAndNonObjects() {
        assertThatThrownBy(() -> Json.parseObject("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parseObject("{} x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parseObject("{\"a\":01}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNestingDeeperThanItsBound() {
        String deep = "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}";

        assertThatThrownBy(() -> Json.parseObject(deep)).isInstanceOf(IllegalArgumentException.class);
    }
}
