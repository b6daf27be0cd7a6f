#pragma once
// Filled in next.
