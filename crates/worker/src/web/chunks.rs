//! Reading a body (a fetch's, a Blob's) chunk by chunk into the wasm heap
//! through one lent buffer. A stream's default reader gives every chunk a
//! new `ArrayBuffer`; after the copy into the heap each is garbage, and
//! the collector leaves them (13 MB for a pack at 50,000 articles, 20 MB
//! for its cache entry) in the renderer's memory long after the load. A
//! BYOB reader fills the buffer it is lent and hands it back, so one
//! buffer serves the whole body. A stream that is not a byte stream (a
//! browser before byte streams) is read with its default reader.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamByobReader, ReadableStreamDefaultReader};

/// The buffer lent to each read. Chromium's default reader hands a
/// fetch's body over in chunks of up to 2 MiB; 1 MiB keeps the calls into
/// the pack's inflater few and the heap's copy of a chunk bounded.
const LENT_BYTES: u32 = 1024 * 1024;

/// Why a body was not read to its end.
pub enum ReadError {
    /// The stream failed (the network or the file underneath).
    Stream(JsValue),
    /// `take` refused a chunk, for this reason; the stream was cancelled.
    Refused(String),
}

/// Reads `body` to its end, giving each chunk to `take`, which copies
/// what it keeps (the chunk's buffer is reused for the next read). One
/// function for every caller (`dyn`): the wasm carries it once.
pub async fn read_chunks(
    body: &ReadableStream,
    take: &mut dyn FnMut(&Uint8Array) -> Result<(), String>,
) -> Result<(), ReadError> {
    match ReadableStreamByobReader::new(body) {
        Ok(reader) => {
            let mut lent = Uint8Array::new_with_length(LENT_BYTES);
            loop {
                let Some(filled) = next(reader.read_with_array_buffer_view(&lent)).await? else {
                    return Ok(());
                };
                if let Err(e) = take(&filled) {
                    let _ = reader.cancel();
                    return Err(ReadError::Refused(e));
                }
                lent = Uint8Array::new(&filled.buffer());
            }
        }
        Err(_) => {
            let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
            while let Some(chunk) = next(reader.read()).await? {
                if let Err(e) = take(&chunk) {
                    let _ = reader.cancel();
                    return Err(ReadError::Refused(e));
                }
            }
            Ok(())
        }
    }
}

/// One read's bytes; `None` at the end.
async fn next(read: Promise) -> Result<Option<Uint8Array>, ReadError> {
    let read: web_sys::ReadableStreamReadResult = JsFuture::from(read)
        .await
        .map_err(ReadError::Stream)?
        .unchecked_into();
    if read.get_done().unwrap_or(true) {
        return Ok(None);
    }
    // A byte stream's read gives bytes (the Streams standard); anything
    // else is a stream this code cannot read.
    read.get_value()
        .dyn_into::<Uint8Array>()
        .map(Some)
        .map_err(ReadError::Stream)
}
