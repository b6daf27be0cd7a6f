#pragma once
// The project database (SQLite): see docs/formats.md.
namespace saliency::study {}
