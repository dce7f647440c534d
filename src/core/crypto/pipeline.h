#pragma once
// The chunk pipeline behind FileCipher: reads batches of chunks from a QIODevice on the
// calling thread while worker threads encrypt or decrypt the previous batch and the caller's
// sink writes the one before. At most three batches (a few MiB) are alive at once, whatever
// the file size.

#include <muze/crypto/blob.h>

#include <QIODevice>

#include <functional>

namespace muze::crypto::detail {

enum class Direction { Encrypt, Decrypt };

/// Receives each output chunk in order.
using ChunkSink = std::function<Status(qint64 index, const char* data, qint64 size)>;

/// Runs chunks [first, end) of `codec`; `source` is positioned at chunk `first`'s input.
/// Errors come back in stream order: the first failing chunk wins.
Status runChunkPipeline(const BlobCodec& codec, Direction direction, QIODevice& source, qint64 first, qint64 end,
                        int threads, const ChunkSink& sink);

/// Reads up to `size` bytes, waiting on sequential devices; `got` tells how many arrived.
Status readFully(QIODevice& device, char* data, qint64 size, qint64& got);

} // namespace muze::crypto::detail
