package org.nifimemmap.eeg;

import java.util.Arrays;
import java.util.List;

/**
 * What a recording's metadata says about each channel, in file order. Arrays are null when the metadata does
 * not say; SpikeInterface scales traces only when both gains and offsets exist.
 *
 * @param names   channel names, unique; written as {@code channel_ids} and {@code properties/channel_name}
 * @param gainToUv microvolts per integer step
 * @param offsetToUv microvolts added after scaling
 * @param groups  channel group (shank) of each channel, -1 where none
 * @param skipped channels the metadata marks as not to be displayed or analysed (Neuroscope {@code skip="1"})
 */
public record ChannelTable(List<String> names, double[] gainToUv, double[] offsetToUv, int[] groups, boolean[] skipped) {
    public static final ChannelTable NONE = new ChannelTable(null, null, null, null, null);

    public ChannelTable {
        names = names == null ? null : List.copyOf(names);
    }

    /** The number of channels the table describes, or -1 when it describes none. */
    public int channels() {
        if (names != null) {
            return names.size();
        }
        if (gainToUv != null) {
            return gainToUv.length;
        }
        return groups != null ? groups.length : -1;
    }

    /** The gain shared by every channel, or null when there are no gains or they differ. */
    public Double uniformGain() {
        if (gainToUv == null || gainToUv.length == 0) {
            return null;
        }
        double first = gainToUv[0];
        return Arrays.stream(gainToUv).allMatch(g -> g == first) ? first : null;
    }
}
