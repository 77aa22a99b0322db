package org.nifimemmap.restrict;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nifimemmap.zarr.Json;
import org.nifimemmap.zarr.ZarrArrayMetadata;
import org.nifimemmap.zarr.ZarrDtype;
import org.nifimemmap.zarr.ZarrWriter;

/** The {@code channel_ids} array SpikeInterface needs, 0..n-1, for sources that do not name their channels. */
final class ChannelIds {
    private ChannelIds() {
    }

    static long write(Path group, int channels) throws IOException {
        ByteBuffer ids = ByteBuffer.allocate(channels * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < channels; c++) {
            ids.putLong(c);
        }
        ZarrArrayMetadata md = new ZarrArrayMetadata(new long[] {channels}, new int[] {channels}, ZarrDtype.INT64,
                null, List.of(), Json.object().numberNode(0), ".");
        ObjectNode attrs = Json.object();
        attrs.putArray("_ARRAY_DIMENSIONS").add("channel");
        return ZarrWriter.writeSmallArray(group.resolve("channel_ids"), md, attrs, ids.array());
    }
}
