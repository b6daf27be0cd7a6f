#pragma once
// How the comparison grid draws maps: shared by every cell and by figure export.
#include "saliency/ColourMap.h"

namespace saliency::ui {

struct DisplayOptions {
    explain::ColourMap colourMap = explain::ColourMap::Jet;
    double heatmapOpacity = 0.5;  // 1 - pytorch-grad-cam's image_weight; 0.5 is its default
    bool thresholdContour = false;
    double contourLevel = 0.5;  // on the [0,1] map (guided maps: on their absolute max)
    bool centreMarker = true;   // the map's centre of mass
    bool maskOutline = true;    // the tumour mask, when the scan has one
    // Every map of a scan divided by its method's largest magnitude over the networks shown
    // (saliency/SharedScale.h) instead of min-max per map; gradients then show as that magnitude too.
    bool sharedScale = false;

    bool operator==(const DisplayOptions&) const = default;
};

}  // namespace saliency::ui
